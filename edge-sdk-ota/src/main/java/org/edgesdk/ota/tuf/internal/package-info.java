/**
 * Not API: canonical JSON, the TUF metadata model and parser, key handling and signature
 * verification behind {@link org.edgesdk.ota.tuf} and {@link org.edgesdk.ota.repo}.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.ota.tuf.internal;

import org.jspecify.annotations.NullMarked;
