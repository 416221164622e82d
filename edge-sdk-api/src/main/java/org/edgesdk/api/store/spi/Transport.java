package org.edgesdk.api.store.spi;

import java.util.List;
import org.edgesdk.api.store.Message;

/**
 * A destination's wire: sends a batch and says whether the destination confirmed it. A forwarder
 * acknowledges a message in the queue only after {@link SendResult.Delivered}, so delivery is at
 * least once; each message carries its {@link Message#id()} so that the destination can drop
 * duplicates.
 *
 * <p>A transport is used by one forwarder thread at a time. It connects on demand (on the first
 * {@link #send} and after a lost connection), and every call returns within the timeouts it was
 * configured with.
 */
public interface Transport extends AutoCloseable {

  /**
   * Sends a batch and waits, within the transport's timeouts, for the destination's answer.
   * Failures are answers, not exceptions: an unreachable destination is
   * {@link SendResult.Unavailable}. An exception thrown anyway is treated as
   * {@link SendResult.Failed}.
   *
   * @param batch one or more messages, in the order to send them
   * @return what the destination did with the whole batch
   */
  SendResult send(List<Message> batch);

  /**
   * Returns a short description of the destination for logs and status, without credentials (for
   * example {@code "mqtt tcp://broker:1883 topic telemetry"}).
   *
   * @return the description
   */
  String describe();

  /** Disconnects and releases the transport's resources. Idempotent. */
  @Override
  void close();
}
