/**
 * Implementation helpers of {@code org.edgesdk.linux.cpufreq}: the seam through which every sysfs
 * write goes, so tests can model the kernel's answers. Not API: this package is not exported and may
 * change in any release.
 */
@NullMarked
package org.edgesdk.linux.cpufreq.internal;

import org.jspecify.annotations.NullMarked;
