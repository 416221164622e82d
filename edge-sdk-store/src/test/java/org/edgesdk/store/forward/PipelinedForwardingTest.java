package org.edgesdk.store.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.store.DurableQueues;
import org.edgesdk.store.forward.internal.PipelinedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarder over a transport with several batches in flight (what the MQTT transport does). */
class PipelinedForwardingTest {
  private static final long MS = 1_000_000L;

  @TempDir Path dir;
  private final AtomicLong ticks = new AtomicLong(1_000 * MS);
  private DurableQueue queue;

  /** A fake pipelined transport: records each started batch; the test answers them. */
  static final class HandAnswered implements PipelinedTransport {
    final int window;
    final List<List<Message>> batches = new ArrayList<>();
    final List<CompletableFuture<SendResult>> answers = new ArrayList<>();
    /** Runs at the start of each batch (the test looks at the queue then). */
    Runnable onStart = () -> { };

    HandAnswered(int window) {
      this.window = window;
    }

    @Override
    public synchronized CompletableFuture<SendResult> sendAsync(List<Message> batch) {
      onStart.run();
      batches.add(batch);
      CompletableFuture<SendResult> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }

    @Override
    public int window() {
      return window;
    }

    @Override
    public SendResult send(List<Message> batch) {
      return sendAsync(batch).join();
    }

    @Override
    public String describe() {
      return "hand-answered";
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void open() {
    queue = DurableQueues.open(QueueConfig.builder(dir).cursors("cloud").build());
  }

  @AfterEach
  void close() {
    queue.close();
  }

  private List<String> enqueue(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(queue.enqueue(NewMessage.of(new byte[] {(byte) i}).withDurability(Durability.SYNCED)).messageId());
    }
    queue.enqueue(NewMessage.of(new byte[] {1}).withDurability(Durability.SYNCED)).await();
    return ids.subList(0, n);
  }

  private Forwarder forwarder(HandAnswered t, int batch) {
    return Forwarder.builder(queue).ticker(ticks::get).clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
        .random(new Random(42))
        .destination(Destination.builder("cloud", t).maxBatch(batch, 1 << 20).linger(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1)).build())
        .build();
  }

  private static List<String> ids(List<Message> batch) {
    return batch.stream().map(Message::id).toList();
  }

  private int stored() {
    return (int) queue.stats().messages();
  }

  @Test
  void step_pipelined_startsBatchesUpToTheWindowBeforeAnyConfirmationAndAcksEachOnItsOwnAnswer() {
    List<String> ids = enqueue(29); // 30 stored with the marker
    HandAnswered t = new HandAnswered(20);
    Forwarder f = forwarder(t, 10);
    assertEquals(0, f.step("cloud", false));
    assertEquals(0, f.step("cloud", false));
    assertEquals(2, t.batches.size(), "a second batch starts before the first is confirmed");
    assertTrue(f.step("cloud", false) >= 0);
    assertEquals(2, t.batches.size(), "the window of 20 messages is full");
    assertEquals(30, stored(), "nothing acknowledged before its answer");
    assertEquals(30, f.status("cloud").inFlight(), "20 in the window and the next batch read ahead");

    t.answers.get(1).complete(SendResult.delivered());
    f.step("cloud", false);
    assertEquals(30, stored(), "batch 2 answered, but batches settle oldest first");
    t.answers.get(0).complete(SendResult.delivered());
    f.step("cloud", false);
    assertEquals(10, stored(), "both batches acknowledged in the queue");
    assertEquals(3, t.batches.size(), "the freed window starts the third batch");
    assertEquals(ids.subList(0, 10), ids(t.batches.get(0)));
    assertEquals(ids.subList(10, 20), ids(t.batches.get(1)));
    t.answers.get(2).complete(SendResult.delivered());
    f.step("cloud", false);
    assertEquals(0, stored());
    assertEquals(30, f.status("cloud").acknowledged());
  }

  @Test
  void step_oldestBatchConfirmedWithTheWindowFull_nextBatchStartsBeforeTheQueueAcknowledgesIt() {
    enqueue(29); // 30 stored with the marker
    HandAnswered t = new HandAnswered(20);
    List<Integer> storedAtStart = new ArrayList<>();
    t.onStart = () -> storedAtStart.add(stored());
    Forwarder f = forwarder(t, 10);
    f.step("cloud", false);
    f.step("cloud", false);
    f.step("cloud", false);
    assertEquals(2, t.batches.size());
    assertEquals(30, f.status("cloud").inFlight(), "the third batch was read while the window was full");
    t.answers.get(0).complete(SendResult.delivered());
    f.step("cloud", false);
    assertEquals(3, t.batches.size());
    assertEquals(List.of(30, 30, 30), storedAtStart,
        "the third batch started before the first was acknowledged in the queue");
    assertEquals(20, stored(), "and the first is acknowledged in the same step");
    assertEquals(20, f.status("cloud").inFlight());
    assertEquals(10, f.status("cloud").acknowledged());
  }

  @Test
  void step_pipelinedBatchUnavailable_laterBatchesSettledAndEveryUnconfirmedRetriedInOrder() {
    List<String> ids = enqueue(29);
    HandAnswered t = new HandAnswered(30);
    Forwarder f = forwarder(t, 10);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, f.step("cloud", false));
    }
    assertEquals(3, t.batches.size());
    // the connection drops: batch 1 and 3 unconfirmed; batch 2 was confirmed just before
    t.answers.get(0).complete(SendResult.unavailable("connection lost", Optional.empty()));
    t.answers.get(1).complete(SendResult.delivered());
    t.answers.get(2).complete(SendResult.unavailable("connection lost", Optional.empty()));
    long wait = f.step("cloud", false);
    assertTrue(wait > 0, "backing off, was " + wait);
    DestinationStatus s = f.status("cloud");
    assertEquals(1, s.consecutiveFailures(), "one outage, one backoff");
    assertEquals(10, s.acknowledged());
    assertEquals(20, stored(), "only the confirmed batch left the queue");

    ticks.addAndGet(60_000 * MS);
    assertEquals(0, f.step("cloud", false));
    assertEquals(0, f.step("cloud", false));
    List<String> resent = new ArrayList<>(ids(t.batches.get(3)));
    resent.addAll(ids(t.batches.get(4)));
    List<String> expected = new ArrayList<>(ids.subList(0, 10));
    expected.addAll(ids(t.batches.get(2)));
    assertEquals(expected, resent, "resent in the original order");
    t.answers.get(3).complete(SendResult.delivered());
    t.answers.get(4).complete(SendResult.delivered());
    f.step("cloud", false);
    assertEquals(0, stored());
  }

  @Test
  void stop_withBatchesInFlight_waitsForTheirAnswersAndAcksTheConfirmed() throws Exception {
    enqueue(19);
    HandAnswered t = new HandAnswered(20);
    Forwarder f = forwarder(t, 10);
    f.step("cloud", false);
    f.step("cloud", false);
    assertEquals(2, t.batches.size());
    t.answers.get(0).complete(SendResult.delivered());
    CompletableFuture.delayedExecutor(50, java.util.concurrent.TimeUnit.MILLISECONDS)
        .execute(() -> t.answers.get(1).complete(SendResult.delivered()));
    assertTrue(f.stop(Duration.ofSeconds(10)));
    assertEquals(0, stored(), "both batches confirmed and acknowledged before the stop ended");
  }
}
