/**
 * The update service example: an application that embeds the A/B update client and its health checks. Not API; not exported.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.examples.update;

import org.jspecify.annotations.NullMarked;
