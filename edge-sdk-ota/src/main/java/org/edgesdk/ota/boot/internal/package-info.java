/**
 * Built-in boot control backends. Not API: use {@link org.edgesdk.ota.boot.BootControls}.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.ota.boot.internal;

import org.jspecify.annotations.NullMarked;
