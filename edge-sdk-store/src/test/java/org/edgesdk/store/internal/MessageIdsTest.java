package org.edgesdk.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.edgesdk.api.store.Acknowledgement;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.store.DurableQueues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ids a queue assigns ({@link MessageIds}): unique, version 7, time-ordered. */
class MessageIdsTest {

  @TempDir Path dir;

  @Test
  void next_isVersion7WithTheTimestamp_andTheRfcVariant() {
    long millis = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
    UUID id = new MessageIds(new SecureRandom()).next(millis);
    assertEquals(7, id.version());
    assertEquals(2, id.variant());
    assertEquals(millis, id.getMostSignificantBits() >>> 16);
  }

  @Test
  void next_laterMillisecond_sortsLater_andSameMillisecondStaysUnique() {
    MessageIds ids = new MessageIds(new SecureRandom());
    UUID a = ids.next(1_000);
    UUID b = ids.next(1_001);
    assertTrue(a.compareTo(b) < 0, a + " before " + b);
    Set<UUID> same = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertTrue(same.add(ids.next(5_000)), "duplicate id in one millisecond after " + i);
    }
  }

  @Test
  void next_fromFourThreadsWithAFrozenClock_isUnique() throws InterruptedException {
    MessageIds ids = new MessageIds(new SecureRandom());
    Set<UUID> all = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    int perThread = 100_000;
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          all.add(ids.next(42));
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(4 * perThread, all.size());
  }

  @Test
  void enqueue_acrossThreadsAndReopen_withAFrozenClock_assignsUniqueIds() throws InterruptedException {
    QueueConfig config = QueueConfig.builder(dir)
        .clock(Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC)).build();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    for (int opening = 0; opening < 3; opening++) {
      try (DurableQueue q = DurableQueues.open(config)) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          Thread thread = new Thread(() -> {
            Acknowledgement last = null;
            for (int i = 0; i < 500; i++) {
              last = q.enqueue(NewMessage.of("x".getBytes(StandardCharsets.UTF_8))
                  .withDurability(Durability.BUFFERED));
              assertTrue(acknowledged.add(last.messageId()), "duplicate id " + last.messageId());
            }
            last.await();
          });
          threads.add(thread);
          thread.start();
        }
        for (Thread t : threads) {
          t.join();
        }
      }
    }
    assertEquals(3 * 4 * 500, acknowledged.size());
    try (DurableQueue q = DurableQueues.open(config)) {
      List<Message> stored = q.browse(0, 10_000);
      assertEquals(acknowledged, new HashSet<>(stored.stream().map(Message::id).toList()));
      assertEquals(7, UUID.fromString(stored.get(0).id()).version());
    }
  }
}
