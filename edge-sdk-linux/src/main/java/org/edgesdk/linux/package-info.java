/**
 * Linux readers and controllers.
 *
 * <p>{@link org.edgesdk.linux.HostInfo} reads the facts every report starts with: kernel release
 * and build, architecture, host name and online CPUs.
 *
 * <p>Reading the host facts:
 *
 * {@snippet class=org.edgesdk.linux.LinuxSnippetsTest region=host-info}
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.linux;

import org.jspecify.annotations.NullMarked;
