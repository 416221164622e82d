/**
 * Contracts of the durable store-and-forward queue: what an application compiles against, with no
 * storage engine type in sight (the implementation is {@code org.edgesdk.store}).
 *
 * <ul>
 *   <li>{@link org.edgesdk.api.store.DurableQueue} is the queue; it is opened on a directory from a
 *       {@link org.edgesdk.api.store.QueueConfig} whose builder documents every default.
 *   <li>{@link org.edgesdk.api.store.NewMessage} is what a producer enqueues, with a
 *       {@link org.edgesdk.api.store.Durability} chosen per message; the
 *       {@link org.edgesdk.api.store.Acknowledgement} completes only when that level is reached.
 *   <li>{@link org.edgesdk.api.store.Message} is what a consumer reads through a named
 *       {@link org.edgesdk.api.store.Cursor}: peek a batch, then ack or nack each message.
 *   <li>{@link org.edgesdk.api.store.LaneConfig} weights a lane and caps its size, with an
 *       {@link org.edgesdk.api.store.OverflowPolicy}; {@link org.edgesdk.api.store.QueueStats}
 *       counts what is stored, dropped, expired and dead-lettered.
 *   <li>{@link org.edgesdk.api.store.Ticker} is the monotonic time source that time-to-live is
 *       measured on, so a wall-clock jump neither expires nor revives a message.
 * </ul>
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}, and
 * no method returns null; values that can be absent are {@link java.util.Optional}.
 */
@NullMarked
package org.edgesdk.api.store;

import org.jspecify.annotations.NullMarked;
