package org.edgesdk.api.store;

import java.nio.file.Path;
import java.util.List;

/**
 * A durable store-and-forward queue on one directory. Producers {@link #enqueue} messages at the
 * durability each needs; consumers read them through named {@link Cursor}s, one per destination.
 *
 * <p>Thread-safe. All storage I/O runs on one dedicated thread owned by the queue, so interrupting a
 * producer or consumer never closes or corrupts the store. Open an implementation with
 * {@code org.edgesdk.store.DurableQueues.open(QueueConfig)}.
 */
public interface DurableQueue extends AutoCloseable {

  /**
   * Enqueues a message. Returns at once; the acknowledgement completes when the message's
   * {@link NewMessage#durability() durability} is reached.
   *
   * @param message the message
   * @return the acknowledgement, carrying the message id
   * @throws IllegalStateException if the queue is closed
   * @throws IllegalArgumentException if the payload is larger than {@link QueueConfig#maxMessageBytes()}
   */
  Acknowledgement enqueue(NewMessage message);

  /**
   * Returns the cursor with this name, creating it on first use. A new cursor starts at the oldest
   * stored message; register every destination's cursor in {@link QueueConfig#cursors()} so that no
   * message is removed before it has seen it.
   *
   * @param name the cursor name, 1 to 64 characters
   * @return the cursor; the same instance for the same name
   */
  Cursor cursor(String name);

  /**
   * Returns the cursor of the dead-letter lane, which other cursors do not read.
   *
   * @return the dead-letter cursor
   */
  Cursor deadLetterCursor();

  /**
   * Returns up to {@code max} stored messages with a sequence number of at least {@code fromSequence},
   * in sequence order, without delivering them to any cursor (for inspection tools).
   *
   * @param fromSequence the first sequence number to include
   * @param max the largest number of messages to return, at least 1
   * @return the messages, with attempts 0
   */
  List<Message> browse(long fromSequence, int max);

  /**
   * Returns a snapshot of the queue's contents and counters.
   *
   * @return the statistics
   */
  QueueStats stats();

  /**
   * Returns the directory the queue lives in.
   *
   * @return the directory
   */
  Path directory();

  /**
   * Commits and forces everything enqueued so far, then closes the store and releases the directory
   * lock. Idempotent.
   *
   * @throws org.edgesdk.api.EdgeException if the final write fails
   */
  @Override
  void close();
}
