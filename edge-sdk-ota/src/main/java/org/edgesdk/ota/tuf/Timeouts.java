package org.edgesdk.ota.tuf;

import java.time.Duration;
import java.util.Objects;

/**
 * The time bounds of every transfer, so that a stalled or trickling server fails in bounded time
 * (the slow retrieval attack).
 *
 * @param connect the longest wait for a connection and the response headers
 * @param stall the longest time without receiving a single byte
 * @param metadataDeadline the longest time one metadata file may take in total
 * @param minimumTargetRate the lowest average rate, in bytes per second, a target download may
 *     have: a target of {@code n} bytes must arrive within
 *     {@code metadataDeadline + n / minimumTargetRate}
 */
public record Timeouts(Duration connect, Duration stall, Duration metadataDeadline, long minimumTargetRate) {

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if a duration is not positive or the rate is below 1
   */
  public Timeouts {
    for (Duration d : new Duration[] {connect, stall, metadataDeadline}) {
      Objects.requireNonNull(d, "duration");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive but one was " + d);
      }
    }
    if (minimumTargetRate < 1) {
      throw new IllegalArgumentException("minimumTargetRate must be >= 1 but was " + minimumTargetRate);
    }
  }

  /**
   * Returns the defaults: connect 10 s, stall 30 s, metadata deadline 120 s, targets at least
   * 4 KiB/s on average.
   *
   * @return the default timeouts
   */
  public static Timeouts defaults() {
    return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(120), 4096);
  }

  /**
   * Returns the deadline of a target download of the given length.
   *
   * @param length the target's length in bytes
   * @return {@code metadataDeadline + length / minimumTargetRate}
   */
  public Duration targetDeadline(long length) {
    return metadataDeadline.plusSeconds(length / minimumTargetRate);
  }
}
