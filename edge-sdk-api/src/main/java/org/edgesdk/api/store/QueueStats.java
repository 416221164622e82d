package org.edgesdk.api.store;

import java.util.Map;

/**
 * A snapshot of what a queue holds and what it has discarded. The discard counters are kept in the
 * store, so they survive a restart.
 *
 * @param messages the number of stored messages
 * @param bytes the stored bytes: for each message its payload, lane name, id and headers as encoded
 *     in its record; the figure that caps are applied to
 * @param fileBytes the size of the store file on disk
 * @param lanes per lane, its messages and bytes (lanes that hold nothing are absent)
 * @param dropped messages discarded or refused because a cap was reached
 * @param expired messages removed at dequeue because their time to live had passed
 * @param deadLettered messages moved to the dead-letter lane after too many attempts
 * @param quarantined records whose checksum did not match when the store was opened; they were
 *     moved out of the queue and reported
 */
public record QueueStats(
    long messages,
    long bytes,
    long fileBytes,
    Map<String, LaneStats> lanes,
    long dropped,
    long expired,
    long deadLettered,
    long quarantined) {

  /** Copies the lane map. */
  public QueueStats {
    lanes = Map.copyOf(lanes);
  }

  /**
   * What one lane holds.
   *
   * @param messages the number of stored messages in the lane
   * @param bytes their bytes, counted as {@link QueueStats#bytes()} counts them
   */
  public record LaneStats(long messages, long bytes) {}
}
