/**
 * The MVStore-backed implementation of the durable queue. Not API: nothing here is exported, and
 * anything may change without notice.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.store.internal;

import org.jspecify.annotations.NullMarked;
