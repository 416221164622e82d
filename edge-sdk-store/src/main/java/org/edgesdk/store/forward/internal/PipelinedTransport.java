package org.edgesdk.store.forward.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.api.store.spi.Transport;

/**
 * A transport that can have several batches in flight: the forwarder starts the next batch while the
 * destination is still confirming the previous ones, and acknowledges each batch in the queue when
 * its own answer arrives (still never before). Not API: the built-in MQTT transport implements it;
 * any other transport is driven one batch at a time through {@link Transport#send}.
 */
public interface PipelinedTransport extends Transport {

  /**
   * Starts sending a batch and returns at once (after connecting, if needed). The future completes,
   * within the transport's timeouts, with what the destination did with the whole batch; it never
   * completes exceptionally.
   *
   * @param batch one or more messages, in the order to send them
   * @return the destination's answer
   */
  CompletableFuture<SendResult> sendAsync(List<Message> batch);

  /**
   * Returns the most messages that may be in flight at once over all started batches.
   *
   * @return the window, positive
   */
  int window();
}
