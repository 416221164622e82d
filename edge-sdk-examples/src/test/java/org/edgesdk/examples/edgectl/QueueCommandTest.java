package org.edgesdk.examples.edgectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.store.DurableQueues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueCommandTest {

  @TempDir Path dir;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private List<String> lines() {
    return out.toString().lines().toList();
  }

  @Test
  void produce_printAcks_printsEachIdOnce_andPayloadStartsWithIt() {
    assertEquals(0, run("queue", "produce", "--dir", dir.toString(), "--count", "25", "--size", "100",
        "--durability", "committed", "--lane", "telemetry", "--print-acks"), err.toString());
    List<String> ids = lines();
    assertEquals(25, ids.size());
    assertEquals(25, Set.copyOf(ids).size());
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).build())) {
      List<Message> all = q.browse(0, 100);
      assertEquals(ids, all.stream().map(Message::id).toList());
      for (Message m : all) {
        assertEquals(100, m.size());
        assertEquals("telemetry", m.lane());
        assertTrue(new String(m.payload(), StandardCharsets.US_ASCII).startsWith(m.id() + " "));
      }
    }
  }

  @Test
  void stats_json_hasTheDocumentedFields() throws Exception {
    assertEquals(0, run("queue", "produce", "--dir", dir.toString(), "--count", "3", "--lane", "a"));
    assertEquals(0, run("queue", "produce", "--dir", dir.toString(), "--count", "2", "--lane", "b",
        "--durability", "buffered"));
    assertEquals(0, run("queue", "stats", "--dir", dir.toString(), "--json"), err.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    Set<String> fields = new TreeSet<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(new TreeSet<>(Set.of("messages", "bytes", "fileBytes", "lanes", "dropped", "expired",
        "deadLettered")), fields);
    assertEquals(5, json.get("messages").asLong());
    assertEquals(3, json.get("lanes").get("a").get("messages").asLong());
    assertEquals(2, json.get("lanes").get("b").get("messages").asLong());
    assertEquals(json.get("bytes").asLong(),
        json.get("lanes").get("a").get("bytes").asLong() + json.get("lanes").get("b").get("bytes").asLong());
    assertTrue(json.get("fileBytes").asLong() > 0);
    assertEquals(0, json.get("dropped").asLong());
  }

  @Test
  void dump_jsonAndIds_listEveryMessage() throws Exception {
    assertEquals(0, run("queue", "produce", "--dir", dir.toString(), "--count", "4", "--size", "64", "--print-acks"));
    List<String> produced = lines();
    assertEquals(0, run("queue", "dump", "--dir", dir.toString(), "--ids"));
    assertEquals(produced, lines());
    assertEquals(0, run("queue", "dump", "--dir", dir.toString(), "--json"));
    List<String> json = lines();
    assertEquals(4, json.size());
    JsonNode first = new ObjectMapper().readTree(json.get(0));
    Iterator<String> names = first.fieldNames();
    assertEquals(List.of("id", "lane", "priority", "size"), List.of(names.next(), names.next(), names.next(), names.next()));
    assertEquals(produced.get(0), first.get("id").asText());
    assertEquals(64, first.get("size").asInt());
    assertEquals("default", first.get("lane").asText());
  }

  @Test
  void consume_withAck_removesWhatItRead_withoutAck_leavesIt() {
    assertEquals(0, run("queue", "produce", "--dir", dir.toString(), "--count", "5", "--print-acks"));
    List<String> ids = lines();
    assertEquals(0, run("queue", "consume", "--dir", dir.toString(), "--count", "2"));
    assertTrue(lines().get(0).contains(ids.get(0)), out.toString());
    assertEquals(0, run("queue", "consume", "--dir", dir.toString(), "--count", "3", "--ack"));
    assertEquals(4, lines().size(), out.toString());
    assertEquals(0, run("queue", "stats", "--dir", dir.toString(), "--json"));
    assertTrue(out.toString().contains("\"messages\" : 2"), out.toString());
    assertEquals(0, run("queue", "consume", "--dir", dir.toString(), "--count", "10", "--cursor", "other"));
    assertEquals(3, lines().size(), "another cursor sees the two left: " + out);
  }

  @Test
  void stats_noQueueThere_isNotFound_exitOne_oneLine() {
    assertEquals(1, run("queue", "stats", "--dir", dir.resolve("missing").toString()));
    String line = err.toString().strip();
    assertFalse(line.contains("\n"), line);
    assertTrue(line.startsWith("edgectl: error: NOT_FOUND: no queue in "), line);
  }

  @Test
  void produce_badDurability_isUsageError_exitTwo() {
    assertEquals(2, run("queue", "produce", "--dir", dir.toString(), "--count", "1", "--durability", "fast"));
    assertTrue(err.toString().contains("--durability must be buffered, committed or synced, was 'fast'"), err.toString());
  }

  @Test
  void demo_queueChapter_showsTheBacklogThroughAnOutageAndTheDrain() {
    assertEquals(0, run("demo"), err.toString());
    String text = out.toString();
    assertTrue(text.contains("5. Telemetry through an outage"), text);
    assertTrue(text.contains("link up  5 readings sent and acknowledged by the sink; backlog 0"), text);
    assertTrue(text.contains("outage   the sink goes down: 120 readings enqueued, none confirmed; backlog 120 messages"),
        text);
    assertTrue(text.contains("forwarder disconnected, "), text);
    assertTrue(text.contains("reopened backlog 120 messages"), text);
    assertTrue(text.contains("the sink is back: drained 120 readings at most 400/s in batches of 50; backlog 0"), text);
    assertTrue(text.contains("totals   125 readings enqueued, 125 distinct ids at the sink ("), text);
    assertTrue(text.contains("none lost"), text);
  }

  @Test
  void dump_jsonAndIdsTogether_isUsageError() {
    assertEquals(2, run("queue", "dump", "--dir", dir.toString(), "--json", "--ids"));
  }
}
