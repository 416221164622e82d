package org.edgesdk.api.store;

import java.util.Objects;

/**
 * How one lane is consumed and capped. Lanes without a configuration use {@link #of(String)}'s
 * defaults.
 *
 * @param name the lane name
 * @param weight the lane's share of each {@link Cursor#peek(int)} batch relative to the other
 *     non-empty lanes, 1 to 1000; 1 if not chosen
 * @param maxBytes the most bytes the lane may hold, counted as {@link QueueStats#bytes()} counts
 *     them; {@link Long#MAX_VALUE} (no cap of its own) if not chosen
 * @param overflow what happens to a message that does not fit; {@link OverflowPolicy#DROP_OLDEST} if
 *     not chosen
 * @param reservedBytes bytes of the queue-wide cap ({@link QueueConfig#maxBytes()}) kept for this lane
 *     alone, so a flood in other lanes cannot crowd out a critical one; 0 if not chosen
 */
public record LaneConfig(String name, int weight, long maxBytes, OverflowPolicy overflow, long reservedBytes) {

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if the name is blank or too long, the weight is outside 1 to
   *     1000, or a byte count is not positive (reserved: negative)
   */
  public LaneConfig {
    NewMessage.checkLane(name);
    if (weight < 1 || weight > 1000) {
      throw new IllegalArgumentException("weight must be 1 to 1000, was " + weight);
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    Objects.requireNonNull(overflow, "overflow");
    if (reservedBytes < 0) {
      throw new IllegalArgumentException("reservedBytes must not be negative, was " + reservedBytes);
    }
  }

  /**
   * Returns the default configuration of a lane: weight 1, no cap of its own, drop oldest, nothing
   * reserved.
   *
   * @param name the lane name
   * @return the configuration
   */
  public static LaneConfig of(String name) {
    return new LaneConfig(name, 1, Long.MAX_VALUE, OverflowPolicy.DROP_OLDEST, 0);
  }

  /**
   * Returns this configuration with another weight.
   *
   * @param newWeight 1 to 1000
   * @return a new configuration
   */
  public LaneConfig withWeight(int newWeight) {
    return new LaneConfig(name, newWeight, maxBytes, overflow, reservedBytes);
  }

  /**
   * Returns this configuration with a byte cap and the policy applied when it is reached.
   *
   * @param newMaxBytes a positive cap
   * @param newOverflow the policy
   * @return a new configuration
   */
  public LaneConfig withCap(long newMaxBytes, OverflowPolicy newOverflow) {
    return new LaneConfig(name, weight, newMaxBytes, newOverflow, reservedBytes);
  }

  /**
   * Returns this configuration with a reserved share of the queue-wide cap.
   *
   * @param newReservedBytes bytes kept for this lane, not negative
   * @return a new configuration
   */
  public LaneConfig withReserved(long newReservedBytes) {
    return new LaneConfig(name, weight, maxBytes, overflow, newReservedBytes);
  }
}
