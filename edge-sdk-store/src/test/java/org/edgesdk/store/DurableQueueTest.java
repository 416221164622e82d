package org.edgesdk.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.Acknowledgement;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.LaneConfig;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.edgesdk.store.internal.MvQueue;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableQueueTest {

  @TempDir Path dir;

  private final AtomicLong ticks = new AtomicLong(1_000_000_000L);

  private QueueConfig.Builder config() {
    return QueueConfig.builder(dir).ticker(ticks::get);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Message m) {
    return new String(m.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void enqueue_peekAck_roundTripsEveryField() {
    Instant now = Instant.parse("2026-11-27T12:00:00Z");
    try (DurableQueue q = DurableQueues.open(config().clock(Clock.fixed(now, ZoneOffset.UTC)).build())) {
      Acknowledgement ack = q.enqueue(NewMessage.of(bytes("hello")).withLane("telemetry").withPriority(7)
          .withHeaders(Map.of("type", "temp")).withTtl(Duration.ofHours(1)));
      long seq = ack.await();
      Cursor c = q.cursor("cloud");
      List<Message> batch = c.peek(10);
      assertEquals(1, batch.size());
      Message m = batch.get(0);
      assertEquals(ack.messageId(), m.id());
      assertEquals(seq, m.sequence());
      assertEquals("telemetry", m.lane());
      assertEquals(7, m.priority());
      assertEquals(Map.of("type", "temp"), m.headers());
      assertEquals("hello", text(m));
      assertEquals(now, m.createdAt());
      assertEquals(Duration.ofHours(1), m.ttl().orElseThrow());
      assertEquals(0, m.attempts());
      assertEquals(List.of(), c.peek(10), "in flight, not delivered twice");
      c.ack(batch);
      assertEquals(0, q.stats().messages());
    }
  }

  @Test
  void enqueue_eachLevel_survivesCloseAndReopen_withUniqueIdsAndIncreasingSequences() {
    List<Acknowledgement> acks = new ArrayList<>();
    try (DurableQueue q = DurableQueues.open(config().build())) {
      for (Durability d : Durability.values()) {
        for (int i = 0; i < 10; i++) {
          acks.add(q.enqueue(NewMessage.of(bytes(d + " " + i)).withDurability(d)));
        }
      }
      long previous = -1;
      for (Acknowledgement a : acks) {
        long seq = a.await();
        assertTrue(seq > previous, seq + " after " + previous);
        previous = seq;
      }
    }
    try (DurableQueue q = DurableQueues.open(config().build())) {
      List<Message> all = q.browse(0, 100);
      assertEquals(acks.stream().map(Acknowledgement::messageId).toList(),
          all.stream().map(Message::id).toList());
      assertEquals(30, new HashSet<>(all.stream().map(Message::id).toList()).size());
    }
  }

  @Test
  void sequence_afterReopenWithEverythingAcked_keepsIncreasing() {
    long first;
    try (DurableQueue q = DurableQueues.open(config().build())) {
      first = q.enqueue(NewMessage.of(bytes("a"))).await();
      Cursor c = q.cursor("c");
      c.ack(c.peek(1));
    }
    try (DurableQueue q = DurableQueues.open(config().build())) {
      assertTrue(q.enqueue(NewMessage.of(bytes("b"))).await() > first);
    }
  }

  @Test
  void syncedEnqueues_fromManyThreads_shareFsyncs() throws Exception {
    try (DurableQueue q = DurableQueues.open(config().build())) {
      int threads = 8;
      int perThread = 50;
      List<Thread> producers = new ArrayList<>();
      List<Acknowledgement> acks = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < threads; t++) {
        Thread th = new Thread(() -> {
          for (int i = 0; i < perThread; i++) {
            acks.add(q.enqueue(NewMessage.of(new byte[256])));
          }
        });
        producers.add(th);
        th.start();
      }
      for (Thread th : producers) {
        th.join();
      }
      acks.forEach(Acknowledgement::await);
      long syncs = ((MvQueue) q).syncCount();
      assertTrue(syncs >= 1 && syncs < threads * perThread, "fsyncs: " + syncs);
      assertEquals(threads * perThread, q.stats().messages());
    }
  }

  @Test
  void syncedEnqueue_withMaxSyncDelay_waitsForACompanionToShareItsFsync() throws Exception {
    try (DurableQueue q = DurableQueues.open(config().maxSyncDelay(Duration.ofMillis(500)).build())) {
      MvQueue mv = (MvQueue) q;
      long before = mv.syncCount();
      Acknowledgement first = q.enqueue(NewMessage.of(bytes("first")));
      Thread.sleep(20); // well inside the 500 ms window
      Acknowledgement second = q.enqueue(NewMessage.of(bytes("second")));
      first.await();
      second.await();
      assertEquals(before + 1, mv.syncCount(), "one fsync covers both");
    }
  }

  @Test
  void completion_callbackThatUsesTheQueue_runsOffTheIoThread_withoutDeadlock() {
    try (DurableQueue q = DurableQueues.open(config().build())) {
      long stored = q.enqueue(NewMessage.of(bytes("x"))).completion()
          .thenApply(seq -> {
            assertFalse(Thread.currentThread().getName().startsWith("edgesdk-store-io"));
            return q.stats().messages();
          })
          .toCompletableFuture().join();
      assertEquals(1, stored);
    }
  }

  @Test
  void open_secondOpenerOnSameDirectory_isBusyWithClearError() {
    try (DurableQueue q = DurableQueues.open(config().build())) {
      EdgeException e = assertThrows(EdgeException.class, () -> DurableQueues.open(config().build()));
      assertEquals(ErrorCode.BUSY, e.code());
      assertTrue(e.problem().contains(dir.toAbsolutePath().toString()), e.problem());
      assertTrue(e.problem().contains("already open"), e.problem());
      q.enqueue(NewMessage.of(bytes("still works"))).await();
    }
    DurableQueues.open(config().build()).close();
  }

  @Test
  void cursors_areIndependent_messageRemovedWhenAllAcked() {
    try (DurableQueue q = DurableQueues.open(config().cursors("cloud", "local").build())) {
      q.enqueue(NewMessage.of(bytes("x"))).await();
      Cursor cloud = q.cursor("cloud");
      Cursor local = q.cursor("local");
      List<Message> fromCloud = cloud.peek(5);
      cloud.ack(fromCloud);
      assertEquals(1, q.stats().messages(), "local has not acked yet");
      assertEquals(List.of(), cloud.peek(5));
      List<Message> fromLocal = local.peek(5);
      assertEquals(fromCloud.get(0).id(), fromLocal.get(0).id());
      local.ack(fromLocal);
      assertEquals(0, q.stats().messages());
    }
  }

  @Test
  void cursors_registeredEarlier_areRememberedAcrossReopen() {
    try (DurableQueue q = DurableQueues.open(config().cursors("a", "b").build())) {
      q.enqueue(NewMessage.of(bytes("x"))).await();
      Cursor a = q.cursor("a");
      a.ack(a.peek(1));
    }
    try (DurableQueue q = DurableQueues.open(config().build())) {
      assertEquals(List.of(), q.cursor("a").peek(1));
      assertEquals(1, q.cursor("b").peek(1).size());
    }
  }

  @Test
  void nack_redeliversWithAttemptCount_thenDeadLetters() {
    try (DurableQueue q = DurableQueues.open(config().maxAttempts(3).build())) {
      String id = q.enqueue(NewMessage.of(bytes("poison"))).messageId();
      q.enqueue(NewMessage.of(bytes("fine"))).await();
      Cursor c = q.cursor("c");
      for (int attempt = 0; attempt < 3; attempt++) {
        Message m = c.peek(1).get(0);
        assertEquals(id, m.id());
        assertEquals(attempt, m.attempts());
        c.nack(m);
      }
      Message next = c.peek(1).get(0);
      assertEquals("fine", text(next));
      c.ack(List.of(next));
      assertEquals(List.of(), c.peek(5));
      QueueStats stats = q.stats();
      assertEquals(1, stats.deadLettered());
      assertEquals(Map.of("dead-letter", new QueueStats.LaneStats(1, stats.bytes())), stats.lanes());
      Cursor dead = q.deadLetterCursor();
      Message d = dead.peek(5).get(0);
      assertEquals(id, d.id());
      assertEquals("c", d.headers().get("edgesdk.deadLetter.cursor"));
      assertEquals("3", d.headers().get("edgesdk.deadLetter.attempts"));
      dead.ack(List.of(d));
      assertEquals(0, q.stats().messages());
    }
  }

  @Test
  void peek_unackedBeforeRestart_isDeliveredAgain() {
    String id;
    try (DurableQueue q = DurableQueues.open(config().build())) {
      id = q.enqueue(NewMessage.of(bytes("x"))).messageId();
      assertEquals(1, q.cursor("c").peek(1).size());
    }
    try (DurableQueue q = DurableQueues.open(config().build())) {
      assertEquals(id, q.cursor("c").peek(1).get(0).id());
    }
  }

  @Test
  void peek_weightedLanes_shareBatchByWeight_noneStarves() {
    try (DurableQueue q = DurableQueues.open(config()
        .lane(LaneConfig.of("alarms").withWeight(3)).lane(LaneConfig.of("bulk")).build())) {
      for (int i = 0; i < 100; i++) {
        q.enqueue(NewMessage.of(bytes("b" + i)).withLane("bulk").withDurability(Durability.BUFFERED));
        q.enqueue(NewMessage.of(bytes("a" + i)).withLane("alarms").withDurability(Durability.BUFFERED));
      }
      List<Message> batch = q.cursor("c").peek(40);
      Map<String, Long> perLane = batch.stream().collect(Collectors.groupingBy(Message::lane, Collectors.counting()));
      assertEquals(Map.of("alarms", 30L, "bulk", 10L), perLane);
    }
  }

  @Test
  void peek_withinLane_highestPriorityFirst_thenSequence() {
    try (DurableQueue q = DurableQueues.open(config().build())) {
      q.enqueue(NewMessage.of(bytes("low")).withPriority(1));
      q.enqueue(NewMessage.of(bytes("high1")).withPriority(9));
      q.enqueue(NewMessage.of(bytes("mid")).withPriority(4));
      q.enqueue(NewMessage.of(bytes("high2")).withPriority(9)).await();
      assertEquals(List.of("high1", "high2", "mid", "low"),
          q.cursor("c").peek(10).stream().map(DurableQueueTest::text).toList());
    }
  }

  @Test
  void ttl_expiresOnTickerNotWallClock_andCountsExpired() {
    Clock[] wall = {Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC)};
    Clock jumping = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return wall[0].instant();
      }
    };
    try (DurableQueue q = DurableQueues.open(config().clock(jumping).build())) {
      q.enqueue(NewMessage.of(bytes("short")).withTtl(Duration.ofSeconds(60)));
      q.enqueue(NewMessage.of(bytes("long")).withTtl(Duration.ofHours(1))).await();
      wall[0] = Clock.fixed(Instant.parse("2036-01-01T00:00:00Z"), ZoneOffset.UTC); // NTP step forward
      Cursor c = q.cursor("c");
      assertEquals(2, c.peek(10).size(), "a wall-clock jump expires nothing");
    }
    try (DurableQueue q = DurableQueues.open(config().clock(jumping).build())) {
      wall[0] = Clock.fixed(Instant.parse("1970-01-01T00:00:10Z"), ZoneOffset.UTC); // RTC-less boot
      ticks.addAndGet(Duration.ofSeconds(61).toNanos());
      List<Message> left = q.cursor("c").peek(10);
      assertEquals(List.of("long"), left.stream().map(DurableQueueTest::text).toList());
      assertEquals(1, q.stats().expired());
    }
    try (DurableQueue q = DurableQueues.open(config().build())) {
      assertEquals(1, q.stats().expired(), "the counter is stored");
      ticks.set(5); // the ticker restarted (a reboot): the store clock resumes, the message stays
      assertEquals(1, q.cursor("c").peek(10).size());
    }
  }

  @Test
  void interruptedProducerAndConsumer_neverCloseTheStore() throws Exception {
    try (DurableQueue q = DurableQueues.open(config().build())) {
      Thread t = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          Thread.currentThread().interrupt();
          q.enqueue(NewMessage.of(bytes("m" + i))).await();
          Cursor c = q.cursor("c");
          c.ack(c.peek(1));
          assertTrue(Thread.interrupted(), "the interrupt stays pending for the caller");
        }
      });
      Throwable[] failed = {null};
      t.setUncaughtExceptionHandler((th, e) -> failed[0] = e);
      t.start();
      t.interrupt();
      t.join();
      assertEquals(null, failed[0]);
      q.enqueue(NewMessage.of(bytes("after"))).await();
      assertEquals(1, q.stats().messages());
    }
    try (DurableQueue q = DurableQueues.open(config().build())) {
      assertEquals(1, q.stats().messages());
    }
  }

  @Test
  void open_garbageStoreFile_isMovedAsideNeverDeleted_withClearError() throws IOException {
    Files.createDirectories(dir);
    byte[] garbage = bytes("this is not an MVStore file ".repeat(200));
    Files.write(dir.resolve("queue.mv.db"), garbage);
    EdgeException e = assertThrows(EdgeException.class, () -> DurableQueues.open(config().build()));
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    List<Path> aside = aside();
    assertEquals(1, aside.size());
    assertArrayEquals(garbage, Files.readAllBytes(aside.get(0)));
    assertTrue(e.problem().contains(aside.get(0).toString()), e.problem());
    assertTrue(e.remedy().contains("startFreshIfUnreadable"), e.remedy());
    assertFalse(Files.exists(dir.resolve("queue.mv.db")));
  }

  @Test
  void open_garbageStoreFile_startFresh_opensEmpty_andKeepsTheOldFile() throws IOException {
    Files.write(dir.resolve("queue.mv.db"), bytes("garbage".repeat(1000)));
    try (DurableQueue q = DurableQueues.open(config().startFreshIfUnreadable(true).build())) {
      assertEquals(0, q.stats().messages());
      q.enqueue(NewMessage.of(bytes("x"))).await();
    }
    assertEquals(1, aside().size());
  }

  private List<Path> aside() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("queue.mv.db.unreadable-")).toList();
    }
  }

  @Test
  void open_otherFormatVersion_isUnsupported_andFileIsLeftInPlace() {
    DurableQueues.open(config().build()).close();
    try (MVStore s = MVStore.open(dir.resolve("queue.mv.db").toString())) {
      s.<String, String>openMap("meta").put("format", "3");
      s.commit();
    }
    EdgeException e = assertThrows(EdgeException.class, () -> DurableQueues.open(config().build()));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.problem().contains("format version 3"), e.problem());
    assertTrue(Files.exists(dir.resolve("queue.mv.db")));
  }

  @Test
  void open_corruptRecord_isQuarantinedAndReported_restStaysReadable() {
    try (DurableQueue q = DurableQueues.open(config().build())) {
      for (int i = 0; i < 5; i++) {
        q.enqueue(NewMessage.of(bytes("m" + i)));
      }
      q.enqueue(NewMessage.of(bytes("m5"))).await();
    }
    try (MVStore s = MVStore.open(dir.resolve("queue.mv.db").toString())) {
      MVMap<Long, byte[]> messages = s.openMap("messages");
      // the records share chunks: flip one bit of the payload "m2", wherever it is
      long victim = -1;
      for (long key : messages.keySet()) {
        byte[] b = messages.get(key);
        int at = indexOf(b, new byte[] {0, 0, 0, 2, 'm', '2'}); // payload length, payload
        if (at >= 0) {
          b[at + 5] ^= 0x01;
          messages.put(key, b);
          victim = key;
        }
      }
      assertTrue(victim >= 0, "payload m2 not found in the store");
      s.commit();
    }
    try (DurableQueue q = DurableQueues.open(config().build())) {
      QueueStats stats = q.stats();
      assertEquals(1, stats.quarantined());
      assertEquals(5, stats.messages());
      assertEquals(List.of("m0", "m1", "m3", "m4", "m5"),
          q.cursor("c").peek(10).stream().map(DurableQueueTest::text).toList());
    }
  }

  @Test
  void stats_countBytesPerLane_andFileSize() {
    try (DurableQueue q = DurableQueues.open(config().build())) {
      q.enqueue(NewMessage.of(new byte[100]).withLane("a"));
      q.enqueue(NewMessage.of(new byte[100]).withLane("a"));
      q.enqueue(NewMessage.of(new byte[50]).withLane("b")).await();
      QueueStats s = q.stats();
      assertEquals(3, s.messages());
      assertEquals(2, s.lanes().get("a").messages());
      assertEquals(s.bytes(), s.lanes().get("a").bytes() + s.lanes().get("b").bytes());
      assertTrue(s.lanes().get("a").bytes() > 200, "payload plus record framing");
      assertTrue(s.fileBytes() > 0);
    }
  }

  @Test
  void close_thenUse_isIllegalState() {
    DurableQueue q = DurableQueues.open(config().build());
    q.close();
    q.close();
    assertThrows(IllegalStateException.class, () -> q.enqueue(NewMessage.of(new byte[1])));
  }

  @Test
  void enqueue_payloadAboveMax_isRejectedWithSize() {
    try (DurableQueue q = DurableQueues.open(config().maxMessageBytes(10).build())) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> q.enqueue(NewMessage.of(new byte[11])))
          .getMessage().contains("11"));
    }
  }

  @Test
  void ids_areUniqueAcrossManyMessages() {
    Set<String> ids = new HashSet<>();
    try (DurableQueue q = DurableQueues.open(config().build())) {
      for (int i = 0; i < 1000; i++) {
        assertTrue(ids.add(q.enqueue(NewMessage.of(new byte[1]).withDurability(Durability.BUFFERED)).messageId()));
      }
    }
    assertNotEquals(0, ids.size());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
