package org.edgesdk.store.forward;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueStats;
import org.edgesdk.api.store.Ticker;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.store.forward.internal.PipelinedTransport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one destination. {@link #step} does one unit of work and says how long to
 * wait before the next; the forwarder's thread calls it in a loop, tests call it with a fake ticker.
 * Only one thread calls {@code step}; the counters are volatile for {@link #status()}.
 */
final class DestinationWorker {
  /** Returned by {@link #step} when a stopping worker has nothing more to do. */
  static final long DONE = -1;

  /** Header naming why the forwarder dead-lettered a message. */
  static final String HEADER_REASON = "edgesdk.deadLetter.reason";
  private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);

  private final Destination config;
  private final DurableQueue queue;
  private final Cursor cursor;
  private final String deadLetterLane;
  private final ForwarderListener listener;
  private final Ticker ticker;
  private final Clock clock;
  private final RandomGenerator random;

  /** Peeked, not yet sent. */
  private final Deque<Message> buffer = new ArrayDeque<>();
  private long bufferBytes;
  private long firstBufferedAt;
  /** Sent, answered "unavailable": retried first. */
  private final Deque<Message> retry = new ArrayDeque<>();
  private long notBefore;
  private double tokens;
  private long lastRefill;
  private final long[] rateBuckets = new long[10];
  private long rateSecond = Long.MIN_VALUE;

  private volatile ConnectionState state = ConnectionState.IDLE;
  private volatile int consecutiveFailures;
  private volatile long sent;
  private volatile long acknowledged;
  private volatile long retried;
  private volatile long deadLettered;
  private volatile @Nullable String lastError;
  private volatile int inFlight;
  private volatile @Nullable Instant oldestCreated;
  private volatile long retryAtNanos;
  private volatile boolean caughtUp;

  /** The transport when it can have several batches in flight, else null. */
  private final @Nullable PipelinedTransport pipelined;
  /** Batches started on {@link #pipelined} and not yet settled, oldest first. */
  private final Deque<Started> started = new ArrayDeque<>();
  /** The messages in {@link #started}. */
  private int startedMessages;
  /** Batches confirmed by the transport and not yet acknowledged in the queue, oldest first. */
  private final Deque<Started> delivered = new ArrayDeque<>();

  /** A batch in flight on a pipelined transport. */
  private record Started(List<Message> batch, boolean isRetry, CompletableFuture<SendResult> answer) {}

  DestinationWorker(Destination config, DurableQueue queue, String deadLetterLane, ForwarderListener listener,
      Ticker ticker, Clock clock, RandomGenerator random) {
    this.config = config;
    this.queue = queue;
    this.cursor = queue.cursor(config.name());
    this.deadLetterLane = deadLetterLane;
    this.listener = listener;
    this.ticker = ticker;
    this.clock = clock;
    this.random = random;
    this.tokens = config.burst();
    this.lastRefill = ticker.read();
    this.notBefore = lastRefill;
    this.pipelined = config.transport() instanceof PipelinedTransport p ? p : null;
  }

  Destination config() {
    return config;
  }

  /**
   * Does one unit of work: waits out a backoff or linger, reads more messages, or sends a batch.
   *
   * @param stopping true once a graceful stop began: no new messages are read, what is read is sent
   *     without lingering, and a failed send ends the work (its messages stay unacknowledged)
   * @return nanoseconds to wait before the next step, 0 to step again at once, {@link #DONE} when
   *     stopping and nothing is left to send
   */
  long step(boolean stopping) {
    if (!started.isEmpty()) {
      settleAnswered();
    }
    long now = ticker.read();
    if (now - notBefore < 0) {
      return idle(stopping, notBefore - now);
    }
    retryAtNanos = 0;
    PipelinedTransport window = pipelined;
    if (window != null && !started.isEmpty()
        && startedMessages + config.maxBatchMessages() > Math.max(window.window(), config.maxBatchMessages())) {
      // the window is full: read the next batch now, while the broker confirms the ones in flight,
      // then wait for the oldest batch's answer
      if (!stopping && retry.isEmpty() && !started.peekFirst().answer().isDone()) {
        fill(now);
      }
      return idle(stopping, config.pollInterval().toNanos());
    }
    List<Message> batch;
    boolean isRetry;
    if (!retry.isEmpty()) {
      long wait = waitForToken(now);
      if (wait > 0) {
        return idle(stopping, wait);
      }
      batch = take(retry, (int) Math.min(Integer.MAX_VALUE, (long) tokens));
      isRetry = true;
    } else {
      if (!stopping) {
        fill(now);
      }
      if (buffer.isEmpty()) {
        return idle(stopping, config.pollInterval().toNanos());
      }
      boolean full = buffer.size() >= config.maxBatchMessages() || bufferBytes >= config.maxBatchBytes();
      long lingered = now - firstBufferedAt;
      if (!full && !stopping && lingered < config.linger().toNanos()) {
        return idle(false, Math.min(config.linger().toNanos() - lingered, config.pollInterval().toNanos()));
      }
      long wait = waitForToken(now);
      if (wait > 0) {
        return idle(stopping, wait);
      }
      batch = take(buffer, (int) Math.min(Integer.MAX_VALUE, (long) tokens));
      bufferBytes -= batch.stream().mapToLong(Message::size).sum();
      if (!buffer.isEmpty()) {
        firstBufferedAt = now;
      }
      isRetry = false;
    }
    tokens -= batch.size();
    PipelinedTransport p = pipelined;
    if (p != null) {
      start(p, batch, isRetry);
      ackDelivered();
    } else {
      send(batch, isRetry, now);
    }
    updateInFlight();
    return 0;
  }

  /**
   * What to do when there is nothing to start now: with batches in flight, wait (at most
   * {@code waitNanos}) for the oldest one's answer and step again; otherwise wait, or end when stopping.
   */
  private long idle(boolean stopping, long waitNanos) {
    ackDelivered();
    if (started.isEmpty()) {
      return stopping ? DONE : waitNanos;
    }
    try {
      started.peekFirst().answer().get(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // step again: the linger, token or backoff may be over
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return stopping ? DONE : 0;
    } catch (ExecutionException e) {
      // never: a pipelined answer does not complete exceptionally; settled as failed
    }
    return 0;
  }

  /** Starts a batch on the pipelined transport. */
  private void start(PipelinedTransport transport, List<Message> batch, boolean isRetry) {
    countSent(batch, isRetry);
    CompletableFuture<SendResult> answer;
    try {
      answer = transport.sendAsync(List.copyOf(batch));
    } catch (RuntimeException e) {
      LOG.warn("transport of {} threw instead of answering", config.name(), e);
      answer = CompletableFuture.completedFuture(SendResult.failed("transport threw " + e));
    }
    started.addLast(new Started(batch, isRetry, answer));
    startedMessages += batch.size();
  }

  /**
   * Settles the batches whose answers arrived, oldest first: a delivered batch is acknowledged in
   * the queue. At the first batch that was not delivered, waits for every later batch's answer (the
   * transport's timeouts bound that) and settles them all together, so that what goes back to the
   * retry queue keeps its order and the backoff starts once.
   */
  private void settleAnswered() {
    while (!started.isEmpty() && started.peekFirst().answer().isDone()) {
      SendResult result = answerOf(started.peekFirst());
      if (!(result instanceof SendResult.Delivered)) {
        break;
      }
      delivered.addLast(removeFirstStarted());  // frees the window; acknowledged in the queue by ackDelivered
    }
    if (started.isEmpty() || !started.peekFirst().answer().isDone()) {
      return;
    }
    ackDelivered();
    List<Started> all = new ArrayList<>(started);
    started.clear();
    startedMessages = 0;
    List<Message> unavailable = new ArrayList<>();
    SendResult.Unavailable firstUnavailable = null;
    for (Started s : all) {
      SendResult result = answerOf(s);
      if (result instanceof SendResult.Unavailable u) {
        unavailable.addAll(s.batch());
        firstUnavailable = firstUnavailable == null ? u : firstUnavailable;
      } else {
        handle(s.batch(), result, ticker.read());
      }
    }
    if (firstUnavailable != null) {
      handle(unavailable, firstUnavailable, ticker.read());
    }
    updateInFlight();
  }

  /**
   * Acknowledges in the queue the batches whose delivery was confirmed. The worker starts the next
   * batch first, so that the queue's round trip overlaps the broker's work instead of delaying it;
   * nothing is acknowledged before its confirmation either way.
   */
  private void ackDelivered() {
    if (delivered.isEmpty()) {
      return;
    }
    while (!delivered.isEmpty()) {
      Started s = delivered.removeFirst();
      handle(s.batch(), SendResult.delivered(), ticker.read());
    }
    updateInFlight();
  }

  private Started removeFirstStarted() {
    Started s = started.removeFirst();
    startedMessages -= s.batch().size();
    return s;
  }

  private SendResult answerOf(Started s) {
    try {
      return s.answer().join();
    } catch (RuntimeException e) {
      return SendResult.failed("transport failed: " + e);
    }
  }

  private void fill(long now) {
    int room = config.maxBatchMessages() - buffer.size();
    if (room <= 0 || bufferBytes >= config.maxBatchBytes()) {
      return;
    }
    List<Message> got = cursor.peek(room);
    caughtUp = got.isEmpty() && buffer.isEmpty() && retry.isEmpty();
    if (got.isEmpty()) {
      return;
    }
    if (buffer.isEmpty()) {
      firstBufferedAt = now;
    }
    for (Message m : got) {
      buffer.addLast(m);
      bufferBytes += m.size();
    }
    updateInFlight();
  }

  /** Takes a batch within the count and byte bounds (always at least one message). */
  private List<Message> take(Deque<Message> from, int allowed) {
    int max = Math.min(config.maxBatchMessages(), Math.max(1, allowed));
    List<Message> batch = new ArrayList<>(Math.min(max, from.size()));
    long bytes = 0;
    while (!from.isEmpty() && batch.size() < max) {
      Message m = from.peekFirst();
      if (!batch.isEmpty() && bytes + m.size() > config.maxBatchBytes()) {
        break;
      }
      batch.add(from.pollFirst());
      bytes += m.size();
    }
    return batch;
  }

  private long waitForToken(long now) {
    if (Double.isInfinite(config.maxRate())) {
      tokens = config.burst();
      return 0;
    }
    double elapsedSeconds = (now - lastRefill) / 1e9;
    lastRefill = now;
    tokens = Math.min(config.burst(), tokens + elapsedSeconds * config.maxRate());
    if (tokens >= 1) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / config.maxRate() * 1e9));
  }

  private void countSent(List<Message> batch, boolean isRetry) {
    int n = batch.size();
    sent += n;
    long again = isRetry ? n : batch.stream().filter(m -> m.attempts() > 0).count();
    retried += again;
  }

  private void send(List<Message> batch, boolean isRetry, long now) {
    countSent(batch, isRetry);
    SendResult result;
    try {
      result = config.transport().send(List.copyOf(batch));
    } catch (RuntimeException e) {
      LOG.warn("transport of {} threw instead of answering", config.name(), e);
      result = SendResult.failed("transport threw " + e);
    }
    handle(batch, result, now);
  }

  /** Acts on a destination's answer: acknowledge, retry later, count an attempt, or dead-letter. */
  private void handle(List<Message> batch, SendResult result, long now) {
    int n = batch.size();
    if (result instanceof SendResult.Delivered) {
      cursor.ack(batch);
      acknowledged += n;
      countRate(now, n);
      consecutiveFailures = 0;
      lastError = null;
      setState(ConnectionState.CONNECTED);
      listener.delivered(config.name(), n);
    } else if (result instanceof SendResult.Unavailable u) {
      for (int i = batch.size() - 1; i >= 0; i--) {
        retry.addFirst(batch.get(i));
      }
      long delay = backoff(++consecutiveFailures);
      if (u.retryAfter().isPresent()) {
        delay = Math.max(delay, u.retryAfter().get().toNanos());
      }
      fail(u.reason(), now, delay, ConnectionState.DISCONNECTED);
    } else if (result instanceof SendResult.Failed f) {
      for (Message m : batch) {
        if (m.attempts() + 1 >= config.maxAttempts()) {
          deadLetter(m, "failed " + (m.attempts() + 1) + " attempts, last: " + f.reason());
        } else {
          cursor.nack(m);
        }
      }
      fail(f.reason(), now, backoff(++consecutiveFailures), ConnectionState.CONNECTED);
    } else if (result instanceof SendResult.Rejected r) {
      for (Message m : batch) {
        deadLetter(m, "rejected: " + r.reason());
      }
      consecutiveFailures = 0;
      lastError = r.reason();
      setState(ConnectionState.CONNECTED);
    }
  }

  private void fail(String reason, long now, long delay, ConnectionState newState) {
    lastError = reason;
    notBefore = now + delay;
    retryAtNanos = notBefore;
    setState(newState);
    LOG.debug("send to {} failed ({}), retry in {} ms", config.name(), reason, delay / 1_000_000);
    listener.failed(config.name(), reason, Duration.ofNanos(delay));
  }

  /** The n-th consecutive failure's wait: capped exponential, then equal jitter. */
  long backoff(int failures) {
    double base = config.initialBackoff().toNanos() * Math.pow(config.backoffMultiplier(), failures - 1);
    long capped = (long) Math.min(base, config.maxBackoff().toNanos());
    long half = capped / 2;
    return capped - (half == 0 ? 0 : random.nextLong(half + 1));
  }

  /**
   * Dead-letters a message with a reason: a copy with the same id goes to the dead-letter lane (synced),
   * then the original is acknowledged, so a crash in between leaves a duplicate, never a loss.
   */
  private void deadLetter(Message m, String reason) {
    Map<String, String> headers = new LinkedHashMap<>(m.headers());
    headers.put("edgesdk.deadLetter.cursor", config.name());
    headers.put("edgesdk.deadLetter.attempts", Integer.toString(m.attempts() + 1));
    headers.put("edgesdk.deadLetter.lane", m.lane());
    headers.put(HEADER_REASON, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    NewMessage copy = new NewMessage(m.payload(), deadLetterLane, m.priority(), headers, Optional.empty(),
        Durability.SYNCED, Optional.of(UUID.fromString(m.id())));
    queue.enqueue(copy).await();
    cursor.ack(List.of(m));
    deadLettered++;
    LOG.warn("{}: message {} dead-lettered: {}", config.name(), m.id(), reason);
    listener.deadLettered(config.name(), m, reason);
  }

  private synchronized void countRate(long now, int n) {
    long second = Math.floorDiv(now, 1_000_000_000L);
    advanceRate(second);
    rateBuckets[Math.floorMod(second, rateBuckets.length)] += n;
  }

  private synchronized void advanceRate(long second) {
    if (rateSecond == Long.MIN_VALUE || second - rateSecond >= rateBuckets.length) {
      java.util.Arrays.fill(rateBuckets, 0);
    } else {
      for (long s = rateSecond + 1; s <= second; s++) {
        rateBuckets[Math.floorMod(s, rateBuckets.length)] = 0;
      }
    }
    rateSecond = Math.max(rateSecond, second);
  }

  private void setState(ConnectionState next) {
    if (state != next) {
      state = next;
      listener.stateChanged(status());
    }
  }

  void stopped() {
    setState(ConnectionState.STOPPED);
  }

  private void updateInFlight() {
    int confirmed = 0;
    for (Started s : delivered) {
      confirmed += s.batch().size();
    }
    inFlight = buffer.size() + retry.size() + startedMessages + confirmed;
    Instant oldest = null;
    for (Message m : retry) {
      oldest = oldest == null || m.createdAt().isBefore(oldest) ? m.createdAt() : oldest;
    }
    for (Message m : buffer) {
      oldest = oldest == null || m.createdAt().isBefore(oldest) ? m.createdAt() : oldest;
    }
    for (Started s : started) {
      for (Message m : s.batch()) {
        oldest = oldest == null || m.createdAt().isBefore(oldest) ? m.createdAt() : oldest;
      }
    }
    for (Started s : delivered) {
      for (Message m : s.batch()) {
        oldest = oldest == null || m.createdAt().isBefore(oldest) ? m.createdAt() : oldest;
      }
    }
    oldestCreated = oldest;
  }

  DestinationStatus status() {
    long now = ticker.read();
    double rate;
    synchronized (this) {
      advanceRate(Math.floorDiv(now, 1_000_000_000L));
      long total = 0;
      for (long b : rateBuckets) {
        total += b;
      }
      rate = total / (double) rateBuckets.length;
    }
    long backlog = 0;
    try {
      QueueStats stats = queue.stats();
      for (Map.Entry<String, QueueStats.LaneStats> e : stats.lanes().entrySet()) {
        if (!e.getKey().equals(deadLetterLane)) {
          backlog += e.getValue().messages();
        }
      }
    } catch (IllegalStateException e) {
      backlog = inFlight;
    }
    Instant oldest = oldestCreated;
    Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
    long retryAt = retryAtNanos;
    Duration retryIn = retryAt == 0 || retryAt - now <= 0 ? Duration.ZERO : Duration.ofNanos(retryAt - now);
    return new DestinationStatus(config.name(), state, backlog, inFlight, age.isNegative() ? Duration.ZERO : age,
        rate, consecutiveFailures, sent, acknowledged, retried, deadLettered, Optional.ofNullable(lastError),
        retryIn, caughtUp && inFlight == 0);
  }
}
