package org.edgesdk.store;

import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.store.internal.MvQueue;

/**
 * Opens {@link DurableQueue}s backed by H2 MVStore.
 *
 * <p>The directory holds {@code queue.mv.db} (the store) and {@code queue.lock}. One queue per
 * directory at a time: a second open, from this or another process, fails with
 * {@link org.edgesdk.api.ErrorCode#BUSY}.
 *
 * <pre>{@code
 * QueueConfig config = QueueConfig.builder(Path.of("/var/lib/gateway/queue"))
 *     .cursors("cloud")
 *     .build();
 * try (DurableQueue queue = DurableQueues.open(config)) {
 *   Acknowledgement ack = queue.enqueue(NewMessage.of(reading).withLane("telemetry"));
 *   ack.await();                                   // on disk (fsync'd): survives power loss
 *   Cursor cloud = queue.cursor("cloud");
 *   List<Message> batch = cloud.peek(100);
 *   send(batch);                                   // use Message.id() as the idempotency key
 *   cloud.ack(batch);
 * }
 * }</pre>
 */
public final class DurableQueues {
  private DurableQueues() {}

  /**
   * Opens (creating if needed) the queue in the configured directory. The store file records its
   * format version; every record carries a CRC32C, and records that fail it are quarantined and
   * counted in {@link org.edgesdk.api.store.QueueStats#quarantined()} while the rest stay readable.
   *
   * @param config the configuration
   * @return the open queue; close it to release the directory
   * @throws org.edgesdk.api.EdgeException {@link org.edgesdk.api.ErrorCode#BUSY} if the directory is
   *     already open; {@link org.edgesdk.api.ErrorCode#CORRUPT_DATA} if the store cannot be opened
   *     (the file is moved aside, never deleted, and the message says where, unless
   *     {@link QueueConfig#startFreshIfUnreadable()} asked to start empty);
   *     {@link org.edgesdk.api.ErrorCode#UNSUPPORTED} if it was written in another format version;
   *     {@link org.edgesdk.api.ErrorCode#IO_ERROR} if the directory cannot be created or locked
   */
  public static DurableQueue open(QueueConfig config) {
    return MvQueue.open(config, "");
  }
}
