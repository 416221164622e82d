/**
 * Forwarding: drains the queue's cursors to destinations over a
 * {@link org.edgesdk.api.store.spi.Transport}, acknowledging a message only after the destination
 * confirmed it (at least once).
 *
 * <ul>
 *   <li>{@link org.edgesdk.store.forward.Forwarder} runs one thread per
 *       {@link org.edgesdk.store.forward.Destination}, each with its own cursor: batches bounded by
 *       count, bytes and linger time, exponential backoff with jitter and a cap, a rate limit for
 *       draining a backlog, dead-lettering, and a graceful stop.
 *   <li>{@link org.edgesdk.store.forward.DestinationStatus} is the observable state (backlog, send
 *       rate, age of the oldest message, consecutive failures, {@link
 *       org.edgesdk.store.forward.ConnectionState}); a {@link
 *       org.edgesdk.store.forward.ForwarderListener} hears every change.
 *   <li>{@link org.edgesdk.store.forward.Transports} creates the built-in HTTP(S) and MQTT transports
 *       by URI through the {@link org.edgesdk.api.store.spi.TransportProvider}s on the module or class
 *       path; {@link org.edgesdk.store.forward.HttpTransport} is built in, the MQTT transport needs the
 *       optional Eclipse Paho module.
 * </ul>
 *
 * <p>Forwarding a queue to an HTTP endpoint:
 *
 * {@snippet class=org.edgesdk.store.StoreSnippetsTest region=forwarder}
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}, and
 * no method returns null; values that can be absent are {@link java.util.Optional}.
 */
@NullMarked
package org.edgesdk.store.forward;

import org.jspecify.annotations.NullMarked;
