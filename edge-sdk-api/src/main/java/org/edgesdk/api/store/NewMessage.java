package org.edgesdk.api.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A message to enqueue: payload, lane, priority, headers, an optional time to live and the
 * durability its acknowledgement waits for. Immutable; start from {@link #of(byte[])} and refine with
 * the {@code with...} methods.
 *
 * @param payload the bytes to store (copied on the way in and out)
 * @param lane the lane, a non-blank name of at most 64 characters; {@code "default"} if not chosen
 * @param priority 0 (lowest) to 9 (highest) within the lane; 4 if not chosen
 * @param headers string headers (copied), for example a content type or a source sensor
 * @param ttl how long the message stays deliverable, measured on the queue's {@link Ticker}; empty
 *     for no expiry
 * @param durability when the acknowledgement completes; {@link Durability#SYNCED} if not chosen
 * @param id the message id to use; empty (the default) to let the queue assign a unique,
 *     time-ordered UUID (the version 7 layout of RFC 9562; how the SDK builds it is in the README's
 *     queue section). Supply one to carry an upstream idempotency key or to embed the id in the
 *     payload; it must be unique
 */
public record NewMessage(
    byte[] payload,
    String lane,
    int priority,
    Map<String, String> headers,
    Optional<Duration> ttl,
    Durability durability,
    Optional<UUID> id) {

  /** The lane of a message whose lane is not chosen. */
  public static final String DEFAULT_LANE = "default";
  /** The priority of a message whose priority is not chosen. */
  public static final int DEFAULT_PRIORITY = 4;
  /** The highest priority. */
  public static final int MAX_PRIORITY = 9;

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the lane is blank or longer than 64 characters, the priority
   *     is outside 0 to 9, or the time to live is zero or negative
   */
  public NewMessage {
    payload = payload.clone();
    checkLane(lane);
    if (priority < 0 || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException("priority must be 0 to 9, was " + priority);
    }
    headers = Map.copyOf(headers);
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl.get());
    }
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(id, "id");
  }

  /**
   * Returns a message in the default lane, at the default priority, without headers or expiry,
   * enqueued at {@link Durability#SYNCED}.
   *
   * @param payload the bytes to store (copied)
   * @return the message
   */
  public static NewMessage of(byte[] payload) {
    return new NewMessage(payload, DEFAULT_LANE, DEFAULT_PRIORITY, Map.of(), Optional.empty(),
        Durability.SYNCED, Optional.empty());
  }

  static void checkLane(String lane) {
    Objects.requireNonNull(lane, "lane");
    if (lane.isBlank() || lane.length() > 64) {
      throw new IllegalArgumentException("lane must be 1 to 64 characters and not blank, was '" + lane + "'");
    }
  }

  /**
   * Returns a copy of the payload.
   *
   * @return the payload bytes
   */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * Returns this message in another lane.
   *
   * @param newLane the lane name
   * @return a new message
   */
  public NewMessage withLane(String newLane) {
    return new NewMessage(payload, newLane, priority, headers, ttl, durability, id);
  }

  /**
   * Returns this message with another priority.
   *
   * @param newPriority 0 to 9
   * @return a new message
   */
  public NewMessage withPriority(int newPriority) {
    return new NewMessage(payload, lane, newPriority, headers, ttl, durability, id);
  }

  /**
   * Returns this message with these headers instead of its own.
   *
   * @param newHeaders the headers
   * @return a new message
   */
  public NewMessage withHeaders(Map<String, String> newHeaders) {
    return new NewMessage(payload, lane, priority, newHeaders, ttl, durability, id);
  }

  /**
   * Returns this message with a time to live.
   *
   * @param newTtl a positive duration
   * @return a new message
   */
  public NewMessage withTtl(Duration newTtl) {
    return new NewMessage(payload, lane, priority, headers, Optional.of(newTtl), durability, id);
  }

  /**
   * Returns this message with another durability.
   *
   * @param newDurability the level its acknowledgement waits for
   * @return a new message
   */
  public NewMessage withDurability(Durability newDurability) {
    return new NewMessage(payload, lane, priority, headers, ttl, newDurability, id);
  }

  /**
   * Returns this message with a caller-chosen id.
   *
   * @param newId a unique id
   * @return a new message
   */
  public NewMessage withId(UUID newId) {
    return new NewMessage(payload, lane, priority, headers, ttl, durability, Optional.of(newId));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NewMessage m && Arrays.equals(payload, m.payload) && lane.equals(m.lane)
        && priority == m.priority && headers.equals(m.headers) && ttl.equals(m.ttl)
        && durability == m.durability && id.equals(m.id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(payload), lane, priority, headers, ttl, durability, id);
  }

  @Override
  public String toString() {
    return "NewMessage[lane=" + lane + ", priority=" + priority + ", size=" + payload.length
        + ", headers=" + headers + ", ttl=" + ttl + ", durability=" + durability + "]";
  }
}
