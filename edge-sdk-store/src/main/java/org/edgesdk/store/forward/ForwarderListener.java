package org.edgesdk.store.forward;

import java.time.Duration;
import org.edgesdk.api.store.Message;

/**
 * Hears what a {@link Forwarder} does. Methods run on the destination's forwarding thread: keep them
 * short and do not call back into the forwarder's {@code stop}. Every method does nothing by default.
 */
public interface ForwarderListener {

  /**
   * The connection state of a destination changed.
   *
   * @param status the destination's status after the change
   */
  default void stateChanged(DestinationStatus status) {}

  /**
   * A batch was confirmed by the destination and acknowledged in the queue.
   *
   * @param destination the destination name
   * @param count the number of messages
   */
  default void delivered(String destination, int count) {}

  /**
   * A send failed; the forwarder waits {@code retryIn} before the next.
   *
   * @param destination the destination name
   * @param reason what happened
   * @param retryIn the backoff before the next send
   */
  default void failed(String destination, String reason, Duration retryIn) {}

  /**
   * A message was dead-lettered.
   *
   * @param destination the destination name
   * @param message the message
   * @param reason why
   */
  default void deadLettered(String destination, Message message, String reason) {}
}
