/**
 * Not API: the Paho-based MQTT transport and the {@link java.util.ServiceLoader} providers of the
 * built-in transports. {@link org.edgesdk.store.forward.internal.PahoTransport} is the only class of
 * the SDK that touches Eclipse Paho types.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.store.forward.internal;

import org.jspecify.annotations.NullMarked;
