package org.edgesdk.examples.edgectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueForwardCommandTest {

  @TempDir Path dir;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void forward_httpUntilEmpty_deliversEveryIdAndPrintsTheSummary() {
    assertEquals(0, run("queue", "produce", "--dir", dir.toString(), "--count", "300", "--durability", "committed",
        "--print-acks"), err.toString());
    List<String> ids = out.toString().lines().toList();
    try (HttpSink sink = HttpSink.start()) {
      assertEquals(0, run("queue", "forward", "--dir", dir.toString(), "--http", sink.uri().toString(),
          "--until-empty", "--batch", "64"), err.toString());
      for (String id : ids) {
        assertTrue(sink.hasReceived(id), id);
      }
      List<String> lines = out.toString().lines().toList();
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("connected http POST http://127.0.0.1:")), out.toString());
      assertEquals("sent 300, acknowledged 300, retried 0, dead-lettered 0", lines.get(lines.size() - 1));
    }
    assertEquals(0, run("queue", "stats", "--dir", dir.toString(), "--json"));
    assertTrue(out.toString().contains("\"messages\" : 0,"), out.toString());
  }

  @Test
  void forward_mqttWithoutTopic_isUsageError() {
    assertEquals(0, run("queue", "produce", "--dir", dir.toString(), "--count", "1"));
    assertEquals(2, run("queue", "forward", "--dir", dir.toString(), "--mqtt", "tcp://127.0.0.1:1883"));
    assertTrue(err.toString().contains("--mqtt needs --topic"), err.toString());
    assertEquals(2, run("queue", "forward", "--dir", dir.toString()));
    assertEquals(1, run("queue", "forward", "--dir", dir.toString(), "--mqtt", "gopher://h/x", "--topic", "t"));
    assertTrue(err.toString().startsWith("edgectl: error: UNSUPPORTED: no transport for 'gopher'"), err.toString());
  }
}
