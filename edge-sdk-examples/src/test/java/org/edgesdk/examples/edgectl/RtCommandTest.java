package org.edgesdk.examples.edgectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RtCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private void write(String systemPath, String content) throws IOException {
    Path file = dir.resolve(systemPath.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void check_json_onPreemptDynamicFixture_modelModeEvidence() throws IOException {
    // Ubuntu 24.04 generic kernel booted with preempt=full.
    write("/proc/version", "Linux version 6.8.0-48-generic #48-Ubuntu SMP PREEMPT_DYNAMIC\n");
    write("/proc/cmdline", "root=/dev/sda1 ro preempt=full\n");
    write("/proc/sys/kernel/sched_rt_runtime_us", "950000\n");

    assertEquals(0, run("rt", "check", "--root", dir.toString(), "--json"));

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals("PREEMPT_DYNAMIC", json.get("preemptModel").asText());
    assertEquals("full", json.get("dynamicMode").asText());
    List<String> sources = new ArrayList<>();
    for (JsonNode e : json.get("evidence")) {
      assertEquals(Set.of("source", "value"), fields(e));
      sources.add(e.get("source").asText());
    }
    assertTrue(sources.contains("/proc/version"), sources.toString());
    assertTrue(sources.contains("preempt= in /proc/cmdline"), sources.toString());
    assertTrue(sources.contains("/proc/sys/kernel/sched_rt_runtime_us"), sources.toString());
    JsonNode first = json.get("findings").get(0);
    assertEquals(Set.of("severity", "topic", "conclusion", "recommendation", "evidence"), fields(first));
    assertEquals("preemption", first.get("topic").asText());
    assertEquals("", err.toString());
  }

  @Test
  void check_json_emptyRoot_unknownModelNullMode() throws IOException {
    assertEquals(0, run("rt", "check", "--root", dir.toString(), "--json"));
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals("UNKNOWN", json.get("preemptModel").asText());
    assertTrue(json.get("dynamicMode").isNull());
  }

  @Test
  void check_text_showsModelAndFixes() throws IOException {
    write("/proc/version", "Linux version 6.12.0 #1 SMP PREEMPT_RT\n");
    assertEquals(0, run("rt", "check", "--root", dir.toString()));
    assertTrue(out.toString().startsWith("preemption model  PREEMPT_RT"), out.toString());
    assertTrue(out.toString().contains("fix: "), out.toString());
  }

  @Test
  void latency_json_other_hasExactlyTheDocumentedFields() throws IOException {
    assertEquals(0, run("rt", "latency", "--policy", "other", "--interval-us", "200", "--loops", "100", "--json"),
        err.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(Set.of("policy", "priority", "intervalUs", "loops", "minUs", "avgUs", "maxUs", "p50Us", "p99Us",
        "p999Us", "overflows", "histogram"), fields(json));
    assertEquals("other", json.get("policy").asText());
    assertEquals(0, json.get("priority").asInt());
    assertEquals(200, json.get("intervalUs").asInt());
    assertEquals(100, json.get("loops").asInt());
    long counted = json.get("overflows").asLong();
    for (JsonNode bucket : json.get("histogram")) {
      assertEquals(2, bucket.size());
      counted += bucket.get(1).asLong();
    }
    assertEquals(100, counted);
    assertTrue(json.get("minUs").asLong() <= json.get("p50Us").asLong());
    assertTrue(json.get("p50Us").asLong() <= json.get("p999Us").asLong());
  }

  @Test
  void latency_fifoPinnedMlock_whereAllowed() throws IOException {
    int code = run("rt", "latency", "--policy", "fifo", "--priority", "80", "--interval-us", "500", "--loops", "100",
        "--cpu", "0", "--mlock", "--json");
    Assumptions.assumeTrue(code == 0, () -> "SCHED_FIFO/mlock refused here: " + err);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals("fifo", json.get("policy").asText());
    assertEquals(80, json.get("priority").asInt());
  }

  @Test
  void latency_text_cyclictestLikeSummary() {
    assertEquals(0, run("rt", "latency", "--policy", "other", "--interval-us", "100", "--loops", "20"));
    assertTrue(out.toString().startsWith("policy other priority 0 interval 100 us loops 20"), out.toString());
    assertTrue(out.toString().contains("p99 "), out.toString());
  }

  @Test
  void latency_priority99_refusedByGuardrail_exitOne() {
    assertEquals(1, run("rt", "latency", "--priority", "99", "--loops", "1"));
    assertTrue(err.toString().startsWith("edgectl: error: INVALID_ARGUMENT:"), err.toString());
    assertTrue(err.toString().contains("allowingMaxPriority"), err.toString());
  }

  @Test
  void latency_badPolicyOrPriority_isUsageError() {
    assertEquals(2, run("rt", "latency", "--policy", "deadline"));
    assertTrue(err.toString().contains("not one of fifo, rr, other"), err.toString());
    assertEquals(2, run("rt", "latency", "--priority", "0"));
  }

  @Test
  void rt_withoutSubcommand_isUsageError() {
    assertEquals(2, run("rt"));
    assertTrue(err.toString().contains("missing a subcommand"), err.toString());
  }

  @Test
  void demo_showsRealTimeChapter() {
    assertEquals(0, run("demo"));
    String text = out.toString();
    assertTrue(text.contains(". Real-time threads: readiness and wake-up latency"), text);
    assertTrue(text.contains("wake-ups at 1 ms"), text);
  }
}
