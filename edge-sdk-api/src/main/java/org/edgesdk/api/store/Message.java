package org.edgesdk.api.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored message as a {@link Cursor} delivers it.
 *
 * @param id a stable unique id (a UUID string), the same on every delivery and after a restart: use
 *     it as the idempotency key downstream, since delivery is at least once
 * @param sequence the queue-wide sequence number, increasing in enqueue order
 * @param lane the lane
 * @param priority 0 (lowest) to 9 (highest)
 * @param headers the headers
 * @param payload the payload (copied on the way out)
 * @param createdAt the wall-clock time of the enqueue (informative only: expiry does not use it)
 * @param ttl the time to live given at enqueue, if any
 * @param attempts how many times this cursor has nacked the message so far
 */
public record Message(
    String id,
    long sequence,
    String lane,
    int priority,
    Map<String, String> headers,
    byte[] payload,
    Instant createdAt,
    Optional<Duration> ttl,
    int attempts) {

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the sequence or attempts are negative
   */
  public Message {
    Objects.requireNonNull(id, "id");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative, was " + sequence);
    }
    NewMessage.checkLane(lane);
    headers = Map.copyOf(headers);
    payload = payload.clone();
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(ttl, "ttl");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
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
   * Returns the payload size without copying it.
   *
   * @return the payload length in bytes
   */
  public int size() {
    return payload.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m && id.equals(m.id) && sequence == m.sequence && lane.equals(m.lane)
        && priority == m.priority && headers.equals(m.headers) && Arrays.equals(payload, m.payload)
        && createdAt.equals(m.createdAt) && ttl.equals(m.ttl) && attempts == m.attempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, sequence);
  }

  @Override
  public String toString() {
    return "Message[id=" + id + ", sequence=" + sequence + ", lane=" + lane + ", priority=" + priority
        + ", size=" + payload.length + ", attempts=" + attempts + "]";
  }
}
