package org.edgesdk.api.store;

import java.util.Collection;
import java.util.List;

/**
 * A named, independent read position for one destination. Delivery is at least once: a message
 * returned by {@link #peek(int)} is in flight until it is {@link #ack acknowledged} or
 * {@link #nack nacked}; in-flight messages not acknowledged before a restart are delivered again.
 *
 * <p>A message is removed from the store once every cursor that reads its lane has acknowledged it.
 * A cursor is not thread-safe with itself: use one cursor per consuming thread.
 */
public interface Cursor {

  /**
   * Returns the cursor's name.
   *
   * @return the name given to {@link DurableQueue#cursor(String)}
   */
  String name();

  /**
   * Returns up to {@code max} messages not yet acknowledged by this cursor and not in flight, taking
   * from the lanes in proportion to their {@link LaneConfig#weight() weights} so none starves, and
   * within a lane by priority (highest first), then sequence. Expired messages met on the way are
   * removed and counted in {@link QueueStats#expired()}.
   *
   * @param max the largest batch, at least 1
   * @return the batch, empty when nothing is deliverable
   */
  List<Message> peek(int max);

  /**
   * Acknowledges delivered messages: this cursor will not see them again. Acknowledgements are
   * made durable at the next commit; after a crash a recently acknowledged message may be delivered
   * again, which the message id lets the destination recognise.
   *
   * @param messages messages returned by {@link #peek(int)} of this cursor
   */
  void ack(Collection<Message> messages);

  /**
   * Returns a delivered message for a later retry and counts the attempt. A message nacked
   * {@link QueueConfig#maxAttempts()} times moves to the dead-letter lane instead.
   *
   * @param message a message returned by {@link #peek(int)} of this cursor
   */
  void nack(Message message);
}
