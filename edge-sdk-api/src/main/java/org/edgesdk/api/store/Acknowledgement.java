package org.edgesdk.api.store;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The answer to an enqueue: the message's id at once, and a completion that arrives only when the
 * message has reached its {@link Durability}.
 *
 * <p>The completion fails with an {@link org.edgesdk.api.EdgeException} when the level cannot be
 * reached: {@link org.edgesdk.api.ErrorCode#IO_ERROR} for a failed write or {@code fsync} (the queue
 * then refuses further work until reopened), {@link org.edgesdk.api.ErrorCode#BUSY} when the lane is
 * full and its policy is {@link OverflowPolicy#REJECT_NEW}. A failed message may or may not be
 * stored; a completed one is.
 */
public interface Acknowledgement {

  /**
   * Returns the message id, assigned before the enqueue returns.
   *
   * @return the stable unique id the consumer will see in {@link Message#id()}
   */
  String messageId();

  /**
   * Returns the durability this acknowledgement waits for.
   *
   * @return the level
   */
  Durability durability();

  /**
   * Returns a stage that completes with the message's sequence number once the level is reached.
   *
   * @return the completion; completing it from outside has no effect on the queue. Implementations
   *     run dependent actions on another thread than their storage I/O thread
   */
  CompletionStage<Long> completion();

  /**
   * Waits for the level to be reached. Waiting is not interruptible: an interrupt of the waiting
   * thread is kept pending for the caller and never reaches the store.
   *
   * @return the message's sequence number
   * @throws org.edgesdk.api.EdgeException if the level cannot be reached
   */
  long await();

  /**
   * Waits at most {@code timeout} for the level to be reached.
   *
   * @param timeout the longest wait
   * @return the message's sequence number
   * @throws org.edgesdk.api.EdgeException with {@link org.edgesdk.api.ErrorCode#TIMEOUT} if the
   *     time runs out (the message may still reach its level later), or the failure
   */
  long await(Duration timeout);
}
