/**
 * JNA bindings of the C library and raw system calls behind {@code org.edgesdk.linux.rt}. Not API:
 * this package is not exported (it is only opened to {@code com.sun.jna}, which reads the native
 * method signatures and Structure fields) and may change in any release.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.linux.rt.internal;

import org.jspecify.annotations.NullMarked;
