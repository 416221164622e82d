/**
 * The {@code edgectl} command-line tool: {@link org.edgesdk.examples.edgectl.Edgectl} is its entry
 * point and states the conventions every subcommand follows.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.examples.edgectl;

import org.jspecify.annotations.NullMarked;
