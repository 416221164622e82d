/**
 * The transport service-provider interface of the store-and-forward queue: how a forwarder hands a
 * batch of {@link org.edgesdk.api.store.Message}s to a destination and learns what became of it.
 *
 * <ul>
 *   <li>{@link org.edgesdk.api.store.spi.Transport} sends one batch and answers with a
 *       {@link org.edgesdk.api.store.spi.SendResult}: delivered, unavailable (not the messages'
 *       fault, not counted), failed (counted as an attempt) or rejected (permanent: dead-letter).
 *   <li>{@link org.edgesdk.api.store.spi.TransportProvider} creates transports for URI schemes; the
 *       SDK finds providers with {@link java.util.ServiceLoader} (module path: {@code provides};
 *       class path: {@code META-INF/services}).
 * </ul>
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}, and
 * no method returns null; values that can be absent are {@link java.util.Optional}.
 */
@NullMarked
package org.edgesdk.api.store.spi;

import org.jspecify.annotations.NullMarked;
