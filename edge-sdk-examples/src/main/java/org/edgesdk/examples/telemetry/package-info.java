/**
 * The telemetry agent example: a durable queue forwarded to MQTT. Not API; not exported.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.examples.telemetry;

import org.jspecify.annotations.NullMarked;
