package org.edgesdk.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.store.DurableQueues;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden files pin the on-disk formats: the record format 1 ({@code record-format-1.hex}) and whole
 * stores written by queue formats 1 and 2 on h2-mvstore 2.4.240 ({@code store-format-N.mv.db.b64},
 * made by {@link #main(String[])}); the chunk of format 2 is pinned by {@code StoredChunkTest}. If either test fails after a change, the change broke files on
 * devices: bump the format version and add a migration instead.
 */
class GoldenFormatTest {

  @TempDir Path dir;

  static StoredRecord goldenRecord() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("type", "temperature");
    headers.put("unit", "°C");
    return new StoredRecord(UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), 42,
        Instant.parse("2026-11-27T12:00:00Z").toEpochMilli(), 5_000_000_000L, 60_000_000_000L, 7,
        "telemetry", headers, "21.5".getBytes(StandardCharsets.UTF_8));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenFormatTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing golden file " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void recordFormat1_encodesToGoldenBytes_andDecodesBack() throws IOException {
    String golden = resource("record-format-1.hex").lines().filter(l -> !l.startsWith("#"))
        .reduce("", String::concat).strip();
    byte[] bytes = goldenRecord().encode();
    assertEquals(golden, HexFormat.of().formatHex(bytes));
    StoredRecord back = StoredRecord.decode(42, HexFormat.of().parseHex(golden));
    assertEquals(goldenRecord().id(), back.id());
    assertEquals(goldenRecord().headers(), back.headers());
    assertArrayEquals(goldenRecord().payload(), back.payload());
  }

  @Test
  void recordFormat1_anyFlippedBit_isDetected() {
    byte[] bytes = goldenRecord().encode();
    for (int i = 0; i < bytes.length * 8; i++) {
      byte[] copy = bytes.clone();
      copy[i / 8] ^= (byte) (1 << (i % 8));
      assertThrows(StoredRecord.CorruptRecordException.class, () -> StoredRecord.decode(42, copy));
    }
  }

  private void assertGoldenStoreReads(String resource) throws IOException {
    Files.write(dir.resolve(MvQueue.STORE_FILE), Base64.getMimeDecoder().decode(resource(resource)));
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).build())) {
      List<Message> all = q.browse(0, 10);
      assertEquals(List.of("first", "second"), all.stream()
          .map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList());
      assertEquals("telemetry", all.get(0).lane());
      assertEquals(Duration.ofMinutes(5), all.get(1).ttl().orElseThrow());
      assertTrue(q.cursor("cloud").peek(10).size() == 2);
    }
  }

  @Test
  void storeFormat1_writtenBy2_4_240_opensAndReads() throws IOException {
    assertGoldenStoreReads("store-format-1.mv.db.b64");
  }

  @Test
  void storeFormat1_isMarkedFormat2_andKeepsItsRecordsThroughRemovalsAndReopen() throws IOException {
    assertGoldenStoreReads("store-format-1.mv.db.b64");
    try (MVStore s = new MVStore.Builder().fileName(dir.resolve(MvQueue.STORE_FILE).toString()).readOnly().open()) {
      assertEquals(Integer.toString(MvQueue.FORMAT_VERSION), s.<String, String>openMap("meta").get("format"));
    }
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).build())) {
      Cursor cloud = q.cursor("cloud");
      List<Message> first = cloud.peek(10).stream()
          .filter(m -> new String(m.payload(), StandardCharsets.UTF_8).equals("first")).toList();
      cloud.ack(first);
      q.enqueue(NewMessage.of("third".getBytes(StandardCharsets.UTF_8))).await();
    }
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).build())) {
      assertEquals(java.util.Set.of("second", "third"), q.cursor("cloud").peek(10).stream()
          .map(m -> new String(m.payload(), StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.toSet()));
    }
  }

  @Test
  void storeFormat2_writtenBy2_4_240_opensAndReads() throws IOException {
    assertGoldenStoreReads("store-format-2.mv.db.b64");
  }

  /** Writes the golden store; run once per new format: {@code args[0]} is the output file. */
  public static void main(String[] args) throws IOException {
    Path tmp = Files.createTempDirectory("golden");
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(tmp).cursors("cloud")
        .clock(Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC)).build())) {
      q.enqueue(NewMessage.of("first".getBytes(StandardCharsets.UTF_8)).withLane("telemetry"));
      q.enqueue(NewMessage.of("second".getBytes(StandardCharsets.UTF_8)).withTtl(Duration.ofMinutes(5))).await();
    }
    Files.writeString(Path.of(args[0]), Base64.getMimeEncoder().encodeToString(
        Files.readAllBytes(tmp.resolve(MvQueue.STORE_FILE))) + "\n");
  }
}
