package org.edgesdk.store.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.store.DurableQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwarderTest {
  private static final long MS = 1_000_000L;

  @TempDir Path dir;
  private final AtomicLong ticks = new AtomicLong(1_000 * MS);
  private final Instant now = Instant.parse("2026-11-27T12:00:00Z");
  private DurableQueue queue;

  @BeforeEach
  void open() {
    queue = DurableQueues.open(QueueConfig.builder(dir).cursors("cloud", "backup").maxAttempts(100).build());
  }

  @AfterEach
  void close() {
    queue.close();
  }

  private List<String> enqueue(int n, int size) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] payload = new byte[size];
      payload[0] = (byte) i;
      ids.add(queue.enqueue(NewMessage.of(payload).withDurability(Durability.COMMITTED)).messageId());
    }
    for (String id : ids) {
      assertTrue(!id.isEmpty());
    }
    queue.enqueue(NewMessage.of("x".getBytes(StandardCharsets.UTF_8)).withDurability(Durability.SYNCED)).await();
    return ids;
  }

  private Forwarder forwarder(Destination... destinations) {
    Forwarder.Builder b = Forwarder.builder(queue).ticker(ticks::get)
        .clock(Clock.fixed(now, ZoneOffset.UTC)).random(new Random(42));
    for (Destination d : destinations) {
      b.destination(d);
    }
    return b.build();
  }

  /** Steps until the forwarder waits (returns the wait) or 1000 steps pass. */
  private static long runUntilWait(Forwarder f, String name) {
    for (int i = 0; i < 1000; i++) {
      long w = f.step(name, false);
      if (w != 0) {
        return w;
      }
    }
    throw new AssertionError("forwarder never waited");
  }

  @Test
  void step_delivered_acksOnlyAfterConfirmationInCountBoundedBatches() {
    List<String> ids = enqueue(25, 10);
    ScriptedTransport t = new ScriptedTransport();
    Forwarder f = forwarder(Destination.builder("cloud", t).maxBatch(10, 1 << 20).linger(Duration.ZERO).build());
    runUntilWait(f, "cloud");
    assertEquals(List.of(10, 10, 6), t.batches.stream().map(List::size).toList());
    assertTrue(t.delivered.containsAll(ids));
    DestinationStatus s = f.status("cloud");
    assertEquals(26, s.acknowledged());
    assertEquals(ConnectionState.CONNECTED, s.state());
    assertEquals(0, s.inFlight());
    assertEquals(List.of(), queue.cursor("cloud").peek(10), "acknowledged in the queue");
  }

  @Test
  void step_byteBound_splitsBatchesAndSendsAnOversizedMessageAlone() {
    enqueue(4, 400);
    ScriptedTransport t = new ScriptedTransport();
    Forwarder f = forwarder(Destination.builder("cloud", t).maxBatch(100, 1000).linger(Duration.ZERO).build());
    runUntilWait(f, "cloud");
    for (List<Message> b : t.batches) {
      long bytes = b.stream().mapToLong(Message::size).sum();
      assertTrue(bytes <= 1000 || b.size() == 1, "batch of " + bytes + " bytes");
    }
    assertEquals(List.of(2, 3), t.batches.stream().map(List::size).toList(), "400+400 | 400+400+1");
    ScriptedTransport small = new ScriptedTransport();
    enqueue(2, 400);
    Forwarder g = forwarder(Destination.builder("backup", small).maxBatch(100, 300).linger(Duration.ZERO).build());
    runUntilWait(g, "backup");
    assertTrue(small.batches.stream().filter(b -> b.get(0).size() == 400).allMatch(b -> b.size() == 1),
        "a message over the byte bound goes alone");
    assertEquals(8, small.delivered.size());
  }

  @Test
  void step_partialBatch_lingersThenSends() {
    enqueue(2, 10);
    ScriptedTransport t = new ScriptedTransport();
    Forwarder f = forwarder(Destination.builder("cloud", t).maxBatch(100, 1 << 20).linger(Duration.ofMillis(30))
        .pollInterval(Duration.ofMillis(50)).build());
    assertEquals(30 * MS, f.step("cloud", false), "waits out the linger");
    assertTrue(t.batches.isEmpty());
    ticks.addAndGet(30 * MS);
    assertEquals(0, f.step("cloud", false));
    assertEquals(List.of(3), t.batches.stream().map(List::size).toList());
  }

  @Test
  void step_unavailable_retriesSameBatchWithCappedJitteredBackoffAndNoAttemptCounted() {
    List<String> ids = enqueue(3, 10);
    ScriptedTransport t = new ScriptedTransport();
    for (int i = 0; i < 8; i++) {
      t.then(SendResult.unavailable("connection refused", Optional.empty()));
    }
    Forwarder f = forwarder(Destination.builder("cloud", t).linger(Duration.ZERO)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0).maxAttempts(2).build());
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      assertEquals(0, f.step("cloud", false));
      long w = f.step("cloud", false);
      waits.add(w);
      DestinationStatus s = f.status("cloud");
      assertEquals(ConnectionState.DISCONNECTED, s.state());
      assertEquals(i + 1, s.consecutiveFailures());
      ticks.addAndGet(w);
    }
    long[] caps = {100, 200, 400, 800, 1600, 2000, 2000, 2000};
    for (int i = 0; i < caps.length; i++) {
      long w = waits.get(i);
      assertTrue(w <= caps[i] * MS && w >= caps[i] * MS / 2, "wait " + i + " = " + w + " for cap " + caps[i]);
    }
    assertTrue(new HashSet<>(waits.subList(5, 8)).size() > 1, "jitter spreads capped waits: " + waits);
    runUntilWait(f, "cloud");
    assertTrue(t.delivered.containsAll(ids));
    for (List<Message> b : t.batches) {
      assertEquals(t.batches.get(0).stream().map(Message::id).toList(), b.stream().map(Message::id).toList(),
          "the same batch is retried");
    }
    DestinationStatus s = f.status("cloud");
    assertEquals(0, s.deadLettered(), "an outage dead-letters nothing");
    assertEquals(0, s.consecutiveFailures());
    assertEquals(8 * 4, s.retried());
  }

  @Test
  void step_sameSeed_sameBackoffSequence() {
    Destination d = Destination.builder("cloud", new ScriptedTransport()).build();
    List<Long> a = new ArrayList<>();
    List<Long> b = new ArrayList<>();
    for (List<Long> out : List.of(a, b)) {
      DestinationWorker w = new DestinationWorker(d, queue, "dead-letter", new ForwarderListener() {},
          ticks::get, Clock.systemUTC(), new Random(7));
      for (int i = 1; i <= 10; i++) {
        out.add(w.backoff(i));
      }
    }
    assertEquals(a, b);
  }

  @Test
  void step_retryAfterLongerThanBackoff_isHonoured() {
    enqueue(1, 10);
    ScriptedTransport t = new ScriptedTransport().then(
        SendResult.unavailable("HTTP 429", Optional.of(Duration.ofSeconds(30))));
    Forwarder f = forwarder(Destination.builder("cloud", t).linger(Duration.ZERO).build());
    assertEquals(0, f.step("cloud", false));
    assertEquals(30_000 * MS, f.step("cloud", false));
    assertEquals(Duration.ofSeconds(30), f.status("cloud").retryIn());
  }

  @Test
  void step_failedTooOften_deadLettersWithReasonAfterMaxAttempts() {
    List<String> ids = enqueue(1, 10);
    ScriptedTransport t = new ScriptedTransport().then(SendResult.failed("HTTP 500 a"),
        SendResult.failed("HTTP 500 b"), SendResult.failed("HTTP 500 c"));
    List<String> dead = new ArrayList<>();
    Forwarder f = Forwarder.builder(queue).ticker(ticks::get).random(new Random(1))
        .listener(new ForwarderListener() {
          @Override
          public void deadLettered(String destination, Message message, String reason) {
            dead.add(message.id());
          }
        })
        .destination(Destination.builder("cloud", t).linger(Duration.ZERO).maxBatch(1, 1000).maxAttempts(3).build())
        .build();
    for (int i = 0; i < 20 && f.status("cloud").deadLettered() == 0; i++) {
      long w = f.step("cloud", false);
      ticks.addAndGet(Math.max(w, 0));
    }
    assertEquals(List.of(ids.get(0)), dead);
    assertEquals(3, t.batches.stream().filter(b -> b.get(0).id().equals(ids.get(0))).count());
    List<Message> letters = queue.deadLetterCursor().peek(10);
    assertEquals(1, letters.size());
    assertEquals(ids.get(0), letters.get(0).id(), "the dead letter keeps the message id");
    assertTrue(letters.get(0).headers().get(DestinationWorker.HEADER_REASON).contains("HTTP 500 c"));
    assertEquals("cloud", letters.get(0).headers().get("edgesdk.deadLetter.cursor"));
  }

  @Test
  void step_rejected_deadLettersAtOnceWithTheReasonAndGoesOn() {
    enqueue(2, 10);
    ScriptedTransport t = new ScriptedTransport().then(SendResult.rejected("HTTP 422: bad schema"));
    Forwarder f = forwarder(Destination.builder("cloud", t).linger(Duration.ZERO).maxBatch(2, 1000).build());
    runUntilWait(f, "cloud");
    DestinationStatus s = f.status("cloud");
    assertEquals(2, s.deadLettered());
    assertEquals(1, s.acknowledged(), "the next batch went on");
    List<Message> letters = queue.deadLetterCursor().peek(10);
    assertEquals(2, letters.size());
    assertEquals("rejected: HTTP 422: bad schema", letters.get(0).headers().get(DestinationWorker.HEADER_REASON));
  }

  @Test
  void step_rateLimit_pacesABacklogAtTheConfiguredRate() {
    enqueue(99, 10);
    ScriptedTransport t = new ScriptedTransport();
    Forwarder f = forwarder(Destination.builder("cloud", t).linger(Duration.ZERO).maxBatch(100, 1 << 20)
        .maxRate(10, 20).build());
    long waited = 0;
    while (t.delivered.size() < 100) {
      long w = f.step("cloud", false);
      ticks.addAndGet(w);
      waited += w;
    }
    // a burst of 20, then 80 messages at 10/s: 8 s of (fake) time
    assertEquals(8_000 * MS, waited, 100 * MS);
    assertTrue(t.batches.stream().allMatch(b -> b.size() <= 20));
  }

  @Test
  void destinations_eachHaveTheirOwnCursor_andBothReceiveEverything() {
    List<String> ids = enqueue(5, 10);
    ScriptedTransport cloud = new ScriptedTransport();
    ScriptedTransport backup = new ScriptedTransport().then(SendResult.unavailable("down", Optional.empty()));
    Forwarder f = forwarder(Destination.builder("cloud", cloud).linger(Duration.ZERO).build(),
        Destination.builder("backup", backup).linger(Duration.ZERO).build());
    runUntilWait(f, "cloud");
    long w = runUntilWait(f, "backup");
    assertTrue(cloud.delivered.containsAll(ids));
    assertTrue(backup.delivered.isEmpty());
    assertEquals(6, f.status("backup").backlog(), "still stored for the backup destination");
    ticks.addAndGet(w);
    runUntilWait(f, "backup");
    assertTrue(backup.delivered.containsAll(ids));
    assertEquals(0, f.status("backup").backlog());
    assertEquals(2, f.snapshot().size());
  }

  @Test
  void status_duringOutage_reportsOldestAgeAndBacklog() {
    enqueue(3, 10);
    ScriptedTransport t = new ScriptedTransport().then(SendResult.unavailable("down", Optional.empty()));
    Forwarder f = Forwarder.builder(queue).ticker(ticks::get).random(new Random(3))
        .clock(Clock.fixed(Instant.now().plusSeconds(90), ZoneOffset.UTC))
        .destination(Destination.builder("cloud", t).linger(Duration.ZERO).build()).build();
    f.step("cloud", false);
    DestinationStatus s = f.status("cloud");
    assertEquals(4, s.backlog());
    assertEquals(4, s.inFlight());
    assertTrue(s.oldestAge().compareTo(Duration.ofSeconds(85)) > 0, "age " + s.oldestAge());
    assertEquals(Optional.of("down"), s.lastError());
  }

  @Test
  void stop_graceful_flushesReadMessagesAndLeavesUnconfirmedOnesForRedelivery() throws Exception {
    List<String> ids = enqueue(3, 10);
    ScriptedTransport t = new ScriptedTransport();
    Forwarder f = forwarder(Destination.builder("cloud", t).linger(Duration.ofSeconds(10)).build());
    assertTrue(f.step("cloud", false) > 0, "lingering with messages read");
    assertTrue(f.stop(Duration.ofSeconds(5)));
    assertTrue(t.delivered.containsAll(ids), "stop sends what was read without lingering");
    assertTrue(t.closed);
    assertEquals(ConnectionState.STOPPED, f.status("cloud").state());
  }

  @Test
  void stop_whileDisconnected_losesNothing() {
    List<String> ids = enqueue(3, 10);
    ScriptedTransport t = new ScriptedTransport().then(SendResult.unavailable("down", Optional.empty()));
    Forwarder f = forwarder(Destination.builder("cloud", t).linger(Duration.ZERO).build());
    f.step("cloud", false);
    f.stop(Duration.ofSeconds(5));
    queue.close();
    queue = DurableQueues.open(QueueConfig.builder(dir).cursors("cloud", "backup").build());
    Set<String> again = new HashSet<>();
    queue.cursor("cloud").peek(100).forEach(m -> again.add(m.id()));
    assertTrue(again.containsAll(ids), "unconfirmed messages are delivered again after reopening");
  }

  @Test
  void start_threads_drainEverythingAndStop() throws Exception {
    List<String> ids = enqueue(200, 10);
    ScriptedTransport t = new ScriptedTransport().then(SendResult.unavailable("down", Optional.empty()));
    try (Forwarder f = Forwarder.builder(queue).random(new Random(5))
        .destination(Destination.builder("cloud", t).backoff(Duration.ofMillis(1), Duration.ofMillis(5), 2).build())
        .build()) {
      f.start();
      assertThrows(IllegalStateException.class, f::start);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (f.status("cloud").acknowledged() < 201 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(201, f.status("cloud").acknowledged());
    }
    synchronized (t) {
      assertTrue(t.delivered.containsAll(ids));
    }
  }

  @Test
  void builder_invalidValues_throwWithTheValue() {
    ScriptedTransport t = new ScriptedTransport();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Destination.builder("x", t).maxBatch(0, 10).build());
    assertTrue(e.getMessage().contains("0"));
    assertThrows(IllegalArgumentException.class,
        () -> Destination.builder("x", t).backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), 2).build());
    assertThrows(IllegalArgumentException.class, () -> Destination.builder("x", t).maxRate(0, 1).build());
    assertThrows(IllegalStateException.class, () -> Forwarder.builder(queue).build());
  }
}
