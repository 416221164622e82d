package org.edgesdk.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.edgesdk.store.DurableQueues;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue format 2 keeps several records per value of the {@code messages} map ({@link StoredChunk}):
 * removals rewrite or drop chunks, reads and browsing find records inside them, and a corrupt chunk
 * header quarantines that chunk only.
 */
class ChunkedStoreTest {

  @TempDir Path dir;

  private QueueConfig config() {
    return QueueConfig.builder(dir).cursors("c").build();
  }

  private static String text(Message m) {
    return new String(m.payload(), StandardCharsets.UTF_8);
  }

  /** Enqueues "m0".."m(n-1)" BUFFERED and waits for a SYNCED last one, "end". */
  private static void fill(DurableQueue q, int n) {
    for (int i = 0; i < n; i++) {
      q.enqueue(NewMessage.of(("m" + i).getBytes(StandardCharsets.UTF_8)).withDurability(Durability.BUFFERED));
    }
    q.enqueue(NewMessage.of("end".getBytes(StandardCharsets.UTF_8))).await();
  }

  private int storedValues() {
    try (MVStore s = new MVStore.Builder().fileName(dir.resolve(MvQueue.STORE_FILE).toString()).readOnly().open()) {
      return s.<Long, byte[]>openMap("messages").size();
    }
  }

  @Test
  void enqueue_manyMessages_shareChunks_andReadBackInOrder() {
    try (DurableQueue q = DurableQueues.open(config())) {
      fill(q, 1_000);
      List<Message> all = q.browse(0, 2_000);
      assertEquals(1_001, all.size());
      for (int i = 0; i < 1_000; i++) {
        assertEquals("m" + i, text(all.get(i)));
      }
      assertEquals("end", text(all.get(1_000)));
      // from a sequence inside a chunk
      long from = all.get(500).sequence();
      List<Message> tail = q.browse(from, 3);
      assertEquals(List.of("m500", "m501", "m502"), tail.stream().map(ChunkedStoreTest::text).toList());
    }
    int values = storedValues();
    assertTrue(values >= 4 && values < 100, "1001 records of ~100 bytes in " + values + " values");
  }

  @Test
  void ack_everyOtherMessage_rewritesChunks_andReopenKeepsExactlyTheRest() {
    try (DurableQueue q = DurableQueues.open(config())) {
      fill(q, 999);
      Cursor c = q.cursor("c");
      List<Message> batch = c.peek(1_000);
      assertEquals(1_000, batch.size());
      List<Message> even = new ArrayList<>();
      for (int i = 0; i < batch.size(); i += 2) {
        even.add(batch.get(i));
      }
      c.ack(even);
      assertEquals(500, q.stats().messages());
    }
    try (DurableQueue q = DurableQueues.open(config())) {
      List<Message> rest = q.cursor("c").peek(1_000);
      assertEquals(500, rest.size());
      for (int i = 0; i < 500; i++) {
        assertEquals(i == 499 ? "end" : "m" + (2 * i + 1), text(rest.get(i)));
      }
      QueueStats s = q.stats();
      assertEquals(500, s.messages());
      assertEquals(0, s.quarantined());
      q.cursor("c").ack(rest);
    }
    assertEquals(0, storedValues(), "every chunk is removed once its last record is");
    try (DurableQueue q = DurableQueues.open(config())) {
      assertEquals(0, q.stats().messages());
      assertTrue(q.browse(0, 10).isEmpty());
    }
  }

  @Test
  void reopen_afterChunkedWrites_neverReusesASequence() {
    long last;
    try (DurableQueue q = DurableQueues.open(config())) {
      fill(q, 300);
      List<Message> all = q.browse(0, 400);
      last = all.get(all.size() - 1).sequence();
      q.cursor("c").ack(q.cursor("c").peek(400));
    }
    try (DurableQueue q = DurableQueues.open(config())) {
      fill(q, 10);
      List<Message> all = q.browse(0, 100);
      assertEquals(11, all.size());
      assertTrue(all.get(0).sequence() > last, all.get(0).sequence() + " after " + last);
    }
  }

  @Test
  void open_corruptChunkHeader_quarantinesThatChunk_restStaysReadable() {
    try (DurableQueue q = DurableQueues.open(config())) {
      fill(q, 1_000);
    }
    long victim;
    int recordsInVictim;
    try (MVStore s = MVStore.open(dir.resolve(MvQueue.STORE_FILE).toString())) {
      MVMap<Long, byte[]> messages = s.openMap("messages");
      victim = messages.higherKey(messages.firstKey());
      byte[] b = messages.get(victim);
      recordsInVictim = StoredChunk.parse(victim, b).count();
      b[StoredChunk.FIXED_HEADER + 3] ^= 0x10; // a bit of the first record's sequence in the header
      messages.put(victim, b);
      s.commit();
    }
    try (DurableQueue q = DurableQueues.open(config())) {
      QueueStats stats = q.stats();
      assertEquals(1, stats.quarantined());
      assertEquals(1_001 - recordsInVictim, stats.messages());
      List<Message> left = q.cursor("c").peek(2_000);
      assertEquals(1_001 - recordsInVictim, left.size());
      assertEquals("end", text(left.get(left.size() - 1)));
    }
    try (DurableQueue q = DurableQueues.open(config())) {
      assertEquals(1, q.stats().quarantined(), "quarantined once, not again at the next open");
    }
  }

  @Test
  void nack_toDeadLetter_andDropOldest_workAcrossChunks() {
    QueueConfig cfg = QueueConfig.builder(dir).cursors("c").maxAttempts(1).build();
    try (DurableQueue q = DurableQueues.open(cfg)) {
      fill(q, 10);
      Cursor c = q.cursor("c");
      List<Message> batch = c.peek(3);
      c.nack(batch.get(1));
      List<Message> dead = q.deadLetterCursor().peek(10);
      assertEquals(List.of("m1"), dead.stream().map(ChunkedStoreTest::text).toList());
      assertEquals(11, q.stats().messages(), "moved, not copied: 10 + end - m1 + its dead letter");
      q.deadLetterCursor().ack(dead);
    }
    try (DurableQueue q = DurableQueues.open(cfg)) {
      assertEquals(10, q.stats().messages());
      assertTrue(q.deadLetterCursor().peek(10).isEmpty());
      assertEquals(List.of("m0", "m2"), q.cursor("c").peek(2).stream().map(ChunkedStoreTest::text).toList());
    }
  }
}
