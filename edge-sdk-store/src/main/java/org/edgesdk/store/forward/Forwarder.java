package org.edgesdk.store.forward;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a {@link DurableQueue} to one or more {@link Destination}s, each through its own cursor on
 * its own thread. A message is acknowledged in the queue only after its destination confirmed it, so
 * delivery is at least once and the message id lets the destination drop duplicates.
 *
 * <p>Per destination: batches bounded by count, bytes and linger time; exponential backoff with
 * jitter and a cap after a failed send; a token-bucket rate limit so a backlog drains without
 * flooding the destination after a reconnect; dead-lettering after the destination's attempts are
 * used up or at once on a permanent rejection. {@link #stop(Duration)} is graceful: it stops reading,
 * sends what was read, and leaves everything unconfirmed in the queue, to be delivered again when the
 * queue is next opened. Nothing is lost.
 *
 * <pre>{@code
 * try (Forwarder forwarder = Forwarder.builder(queue)
 *     .destination(Destination.builder("cloud", HttpTransport.builder(uri).build())
 *         .maxRate(200, 400)
 *         .build())
 *     .build()) {
 *   forwarder.start();
 *   forwarder.status("cloud").backlog();
 * }
 * }</pre>
 *
 * <p>Register every destination's name in {@code QueueConfig.cursors()} so that no message is removed
 * before each destination has acknowledged it.
 */
public final class Forwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
  private final DurableQueue queue;
  private final Map<String, DestinationWorker> workers = new LinkedHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile boolean stopping;
  private boolean started;
  private boolean closed;

  private Forwarder(Builder b) {
    this.queue = b.queue;
    for (Destination d : b.destinations) {
      workers.put(d.name(), new DestinationWorker(d, queue, b.deadLetterLane, b.listener, b.ticker, b.clock,
          b.random));
    }
  }

  /**
   * Starts a forwarder for a queue.
   *
   * @param queue the queue to drain
   * @return a builder
   */
  public static Builder builder(DurableQueue queue) {
    return new Builder(queue);
  }

  /**
   * Starts one forwarding thread per destination.
   *
   * @throws IllegalStateException if already started or stopped
   */
  public void start() {
    lock.lock();
    try {
      if (started || closed) {
        throw new IllegalStateException("forwarder already " + (closed ? "stopped" : "started"));
      }
      started = true;
      for (DestinationWorker w : workers.values()) {
        Thread t = new Thread(() -> run(w), "edgesdk-forward-" + w.config().name());
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    } finally {
      lock.unlock();
    }
  }

  private void run(DestinationWorker w) {
    while (true) {
      long wait;
      try {
        wait = w.step(stopping);
      } catch (IllegalStateException e) {
        LOG.error("forwarding to {} ends: {}", w.config().name(), e.toString());
        return;  // the queue was closed under the forwarder
      } catch (RuntimeException e) {
        // for example a dead letter the queue refused (a full dead-letter lane): keep going, slowly
        LOG.error("forwarding to {} failed, retrying in 1 s", w.config().name(), e);
        wait = stopping ? DestinationWorker.DONE : TimeUnit.SECONDS.toNanos(1);
      }
      if (wait == DestinationWorker.DONE) {
        return;
      }
      if (wait > 0) {
        lock.lock();
        try {
          long left = wait;
          while (left > 0 && !stopping) {
            left = wake.awaitNanos(left);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /**
   * Returns the destinations' status, in the order they were added.
   *
   * @return a snapshot per destination
   */
  public List<DestinationStatus> snapshot() {
    return workers.values().stream().map(DestinationWorker::status).toList();
  }

  /**
   * Returns one destination's status.
   *
   * @param destination the destination name
   * @return the snapshot
   * @throws IllegalArgumentException if there is no such destination
   */
  public DestinationStatus status(String destination) {
    return worker(destination).status();
  }

  /** Runs one step of a destination on the caller's thread (tests drive a forwarder that is not started). */
  long step(String destination, boolean stop) {
    return worker(destination).step(stop);
  }

  private DestinationWorker worker(String destination) {
    DestinationWorker w = workers.get(Objects.requireNonNull(destination, "destination"));
    if (w == null) {
      throw new IllegalArgumentException("no destination '" + destination + "', have " + workers.keySet());
    }
    return w;
  }

  /**
   * Stops gracefully: no new messages are read, the messages already read are sent once more unless
   * their destination is backing off, and every confirmed one is acknowledged. Messages still
   * unconfirmed stay in the queue and are delivered again after it is reopened. Then closes the
   * transports. Idempotent.
   *
   * @param timeout how long to wait for the forwarding threads (a send in progress finishes within its
   *     transport's timeouts)
   * @return true if every thread finished in time
   */
  public boolean stop(Duration timeout) {
    lock.lock();
    try {
      if (closed) {
        return true;
      }
      closed = true;
      stopping = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean all = true;
    for (Thread t : threads) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      all &= !t.isAlive();
    }
    if (!started) {
      for (String name : workers.keySet()) {
        while (step(name, true) != DestinationWorker.DONE) {
          // flush what was read; ends at the first failure
        }
      }
    }
    for (DestinationWorker w : workers.values()) {
      w.config().transport().close();
      w.stopped();
    }
    return all;
  }

  /** Stops gracefully, waiting up to 30 seconds; see {@link #stop(Duration)}. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  /** Builds a {@link Forwarder}; each setter documents its default. */
  public static final class Builder {
    private final DurableQueue queue;
    private final List<Destination> destinations = new ArrayList<>();
    private String deadLetterLane = "dead-letter";
    private ForwarderListener listener = new ForwarderListener() {};
    private Ticker ticker = Ticker.systemTicker();
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new Random();

    private Builder(DurableQueue queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
    }

    /**
     * Adds a destination; its name is its cursor's name.
     *
     * @param destination the destination
     * @return this builder
     * @throws IllegalArgumentException if a destination of that name was added already
     */
    public Builder destination(Destination destination) {
      Objects.requireNonNull(destination, "destination");
      if (destinations.stream().anyMatch(d -> d.name().equals(destination.name()))) {
        throw new IllegalArgumentException("destination '" + destination.name() + "' was already added");
      }
      destinations.add(destination);
      return this;
    }

    /**
     * Names the queue's dead-letter lane ({@code QueueConfig.deadLetterLane()}). If not invoked,
     * {@code "dead-letter"}, the queue's default.
     *
     * @param lane the lane
     * @return this builder
     */
    public Builder deadLetterLane(String lane) {
      this.deadLetterLane = Objects.requireNonNull(lane, "lane");
      return this;
    }

    /**
     * Sets the listener. If not invoked, none.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(ForwarderListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets the monotonic time source of backoff, linger and rate limits. If not invoked,
     * {@link Ticker#systemTicker()}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets the wall clock that the age of the oldest message is measured on. If not invoked,
     * {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the random source of the backoff jitter. If not invoked, a new {@link Random}.
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the forwarder, opening each destination's cursor; {@link Forwarder#start()} starts it.
     *
     * @return the forwarder
     * @throws IllegalStateException if no destination was added
     */
    public Forwarder build() {
      if (destinations.isEmpty()) {
        throw new IllegalStateException("add at least one destination");
      }
      return new Forwarder(this);
    }
  }

  @Override
  public String toString() {
    return "Forwarder" + workers.keySet() + Optional.of(stopping).filter(s -> s).map(s -> "(stopping)").orElse("");
  }
}
