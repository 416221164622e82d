/**
 * The durable store-and-forward queue on H2 MVStore: {@link org.edgesdk.store.DurableQueues} opens a
 * {@link org.edgesdk.api.store.DurableQueue} (contracts in {@code org.edgesdk.api.store}).
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>An acknowledgement at {@link org.edgesdk.api.store.Durability#SYNCED} completes after the
 *       {@code fsync} that covers the message (MVStore {@code commit()} then {@code sync()});
 *       {@link org.edgesdk.api.store.Durability#COMMITTED} after the {@code commit()} that wrote it to
 *       the operating system; {@link org.edgesdk.api.store.Durability#BUFFERED} once it is in memory.
 *   <li>All MVStore I/O runs on one dedicated thread that only the queue can reach: interrupting a
 *       producer or consumer never closes the store.
 *   <li>A failed write or {@code fsync} fails every waiting acknowledgement with
 *       {@link org.edgesdk.api.ErrorCode#IO_ERROR}, closes the store without writing further, and
 *       makes the queue refuse work; reopening recovers every acknowledged message.
 * </ul>
 *
 * <p>Storing a reading durably and consuming it through a cursor:
 *
 * {@snippet class=org.edgesdk.store.StoreSnippetsTest region=queue}
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}, and
 * no method returns null.
 */
@NullMarked
package org.edgesdk.store;

import org.jspecify.annotations.NullMarked;
