/**
 * The governor switcher example: cpufreq limits driven by thermal state. Not API; not exported.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.examples.governor;

import org.jspecify.annotations.NullMarked;
