package org.edgesdk.api.store.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a destination did with a batch. Sealed: a forwarder handles each case.
 *
 * <ul>
 *   <li>{@link Delivered}: confirmed; the messages are acknowledged in the queue.
 *   <li>{@link Unavailable}: the destination could not be reached or asked to wait (connection
 *       refused, timeout, HTTP 429/503); the same batch is retried after a backoff, or after the
 *       destination's {@code retryAfter} if longer, and the attempt is not counted against the
 *       messages, so an outage of any length dead-letters nothing.
 *   <li>{@link Failed}: the destination received the batch and failed (HTTP 500); the attempt is
 *       counted for each message, which is dead-lettered once its attempts are used up.
 *   <li>{@link Rejected}: the destination will never accept these messages (HTTP 400, 422); they
 *       are dead-lettered at once with the reason.
 * </ul>
 */
public sealed interface SendResult {

  /**
   * Returns the result of a confirmed batch.
   *
   * @return the delivered result
   */
  static SendResult delivered() {
    return Delivered.INSTANCE;
  }

  /**
   * Returns the result of a batch that could not be handed over.
   *
   * @param reason what happened, for status and logs
   * @param retryAfter how long the destination asked to wait, if it did
   * @return the unavailable result
   */
  static SendResult unavailable(String reason, Optional<Duration> retryAfter) {
    return new Unavailable(reason, retryAfter);
  }

  /**
   * Returns the result of a batch the destination received and failed to process.
   *
   * @param reason what the destination said
   * @return the failed result
   */
  static SendResult failed(String reason) {
    return new Failed(reason);
  }

  /**
   * Returns the result of a batch the destination permanently refused.
   *
   * @param reason what the destination said (for HTTP, the status and response body)
   * @return the rejected result
   */
  static SendResult rejected(String reason) {
    return new Rejected(reason);
  }

  /** The destination confirmed the whole batch. */
  enum Delivered implements SendResult {
    /** The one instance. */
    INSTANCE
  }

  /**
   * The destination was not reached or asked to wait; not counted as an attempt.
   *
   * @param reason what happened
   * @param retryAfter how long the destination asked to wait, if it did (not negative)
   */
  record Unavailable(String reason, Optional<Duration> retryAfter) implements SendResult {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isPresent() && retryAfter.get().isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter.get());
      }
    }
  }

  /**
   * The destination received the batch and failed; counted as an attempt for each message.
   *
   * @param reason what the destination said
   */
  record Failed(String reason) implements SendResult {
    /** Validates the component. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The destination permanently refused the batch; its messages are dead-lettered.
   *
   * @param reason what the destination said
   */
  record Rejected(String reason) implements SendResult {
    /** Validates the component. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
