/**
 * Facts about the running kernel that several reports share.
 *
 * <p>{@link org.edgesdk.linux.kernel.KernelPreemption} tells the preemption model
 * ({@link org.edgesdk.linux.kernel.PreemptionModel}) from every source that exists, each as
 * {@link org.edgesdk.linux.kernel.Evidence}; {@link org.edgesdk.linux.kernel.KernelConfig} reads the
 * kernel's build configuration from {@code /proc/config.gz} or {@code /boot/config-RELEASE}.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.linux.kernel;

import org.jspecify.annotations.NullMarked;
