package org.edgesdk.api.store;

/**
 * How far a message must get towards the disk before its {@link Acknowledgement} completes. Chosen
 * per message with {@link NewMessage#withDurability(Durability)}.
 */
public enum Durability {
  /**
   * Kept in memory and written at the next background commit (every
   * {@link QueueConfig#commitInterval()}); lost if the process dies within that interval. The
   * acknowledgement completes as soon as the message is in the queue's memory.
   */
  BUFFERED,
  /**
   * Written to the operating system (the page cache) before the acknowledgement completes: survives
   * a crash or {@code kill -9} of the process, but not a power loss or kernel panic.
   */
  COMMITTED,
  /**
   * Written and forced to the storage device ({@code fsync}) before the acknowledgement completes:
   * survives a power loss. Concurrent {@code SYNCED} enqueues share one {@code fsync} (group commit),
   * waiting at most {@link QueueConfig#maxSyncDelay()} for companions.
   */
  SYNCED
}
