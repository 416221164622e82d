/**
 * The 1 kHz control loop example: a periodic loop on SCHED_FIFO reporting its wake-up latency. Not API; not exported.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.examples.control;

import org.jspecify.annotations.NullMarked;
