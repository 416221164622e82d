package org.edgesdk.store.forward;

import java.time.Duration;
import java.util.Objects;
import org.edgesdk.api.store.spi.Transport;

/**
 * One destination of a {@link Forwarder}: a transport, the cursor it drains (named like the
 * destination) and how to batch, pace and retry. Immutable; start from {@link #builder(String,
 * Transport)}.
 *
 * @param name the destination name, also the queue cursor's name
 * @param transport the transport to send with; the forwarder closes it when it stops
 * @param maxBatchMessages the most messages in one send
 * @param maxBatchBytes the most payload bytes in one send (a single larger message goes alone)
 * @param linger how long a batch that is not full waits for more messages before it is sent
 * @param initialBackoff the wait after the first failed send
 * @param maxBackoff the cap on the wait between failed sends
 * @param backoffMultiplier the factor the wait grows by per consecutive failure
 * @param maxRate the most messages sent per second (a token bucket), {@link Double#POSITIVE_INFINITY}
 *     for no limit
 * @param burst the token bucket's size: how many messages may go at once after an idle period
 * @param maxAttempts failed sends (not unavailable ones) after which a message is dead-lettered
 * @param pollInterval how often an idle forwarder looks for new messages
 */
public record Destination(
    String name,
    Transport transport,
    int maxBatchMessages,
    long maxBatchBytes,
    Duration linger,
    Duration initialBackoff,
    Duration maxBackoff,
    double backoffMultiplier,
    double maxRate,
    int burst,
    int maxAttempts,
    Duration pollInterval) {

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if a size, count or rate is not positive, a duration is negative,
   *     the multiplier is below 1 or the initial backoff exceeds the cap
   */
  public Destination {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(transport, "transport");
    positive("maxBatchMessages", maxBatchMessages);
    positive("maxBatchBytes", maxBatchBytes);
    notNegative("linger", linger);
    notNegative("initialBackoff", initialBackoff);
    notNegative("maxBackoff", maxBackoff);
    if (initialBackoff.compareTo(maxBackoff) > 0) {
      throw new IllegalArgumentException("initialBackoff " + initialBackoff + " exceeds maxBackoff " + maxBackoff);
    }
    if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
      throw new IllegalArgumentException("backoffMultiplier must be at least 1, was " + backoffMultiplier);
    }
    if (!(maxRate > 0)) {
      throw new IllegalArgumentException("maxRate must be positive, was " + maxRate);
    }
    positive("burst", burst);
    positive("maxAttempts", maxAttempts);
    notNegative("pollInterval", pollInterval);
    if (pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
    }
  }

  /**
   * Starts a destination with every default (see {@link Builder}).
   *
   * @param name the destination and cursor name
   * @param transport the transport
   * @return a builder
   */
  public static Builder builder(String name, Transport transport) {
    return new Builder(name, transport);
  }

  private static void positive(String what, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
  }

  private static void notNegative(String what, Duration value) {
    Objects.requireNonNull(value, what);
    if (value.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, was " + value);
    }
  }

  /** Builds a {@link Destination}; each setter documents its default. */
  public static final class Builder {
    private final String name;
    private final Transport transport;
    private int maxBatchMessages = 100;
    private long maxBatchBytes = 256 * 1024;
    private Duration linger = Duration.ofMillis(20);
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private double backoffMultiplier = 2.0;
    private double maxRate = Double.POSITIVE_INFINITY;
    private int burst = 1000;
    private int maxAttempts = 10;
    private Duration pollInterval = Duration.ofMillis(50);

    private Builder(String name, Transport transport) {
      this.name = Objects.requireNonNull(name, "name");
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Bounds a batch by count and payload bytes. If not invoked, 100 messages and 256 KiB.
     *
     * @param messages the most messages per send
     * @param bytes the most payload bytes per send
     * @return this builder
     */
    public Builder maxBatch(int messages, long bytes) {
      this.maxBatchMessages = messages;
      this.maxBatchBytes = bytes;
      return this;
    }

    /**
     * Sets how long a batch that is not full waits for more messages. If not invoked, 20 ms.
     *
     * @param linger the wait, zero to send at once
     * @return this builder
     */
    public Builder linger(Duration linger) {
      this.linger = linger;
      return this;
    }

    /**
     * Sets the exponential backoff between failed sends: the n-th consecutive failure waits
     * {@code min(max, initial * multiplier^(n-1))}, of which a random half is taken off (equal
     * jitter), so devices that lost the link together do not return together. If not invoked,
     * 500 ms, 60 s and 2.
     *
     * @param initial the wait after the first failure
     * @param max the cap
     * @param multiplier the growth per failure, at least 1
     * @return this builder
     */
    public Builder backoff(Duration initial, Duration max, double multiplier) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      this.backoffMultiplier = multiplier;
      return this;
    }

    /**
     * Limits the send rate with a token bucket, so a backlog drains after a reconnect without
     * flooding the destination. If not invoked, no limit (and a burst of 1000).
     *
     * @param messagesPerSecond the sustained rate
     * @param burst how many messages may go at once after an idle period
     * @return this builder
     */
    public Builder maxRate(double messagesPerSecond, int burst) {
      this.maxRate = messagesPerSecond;
      this.burst = burst;
      return this;
    }

    /**
     * Sets after how many failed sends a message is dead-lettered (the queue's own
     * {@code QueueConfig.maxAttempts()} applies too; the smaller wins). Unavailable sends do not
     * count. If not invoked, 10.
     *
     * @param maxAttempts the attempts, at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets how often an idle forwarder looks for new messages. If not invoked, 50 ms.
     *
     * @param pollInterval the interval, positive
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * Builds the destination.
     *
     * @return the destination
     * @throws IllegalArgumentException if a value is out of range
     */
    public Destination build() {
      return new Destination(name, transport, maxBatchMessages, maxBatchBytes, linger, initialBackoff,
          maxBackoff, backoffMultiplier, maxRate, burst, maxAttempts, pollInterval);
    }
  }
}
