/**
 * CPU frequency scaling through the kernel's cpufreq sysfs interface, read and written safely.
 *
 * <p>{@link org.edgesdk.linux.cpufreq.CpuFreq} is the entry point: {@link
 * org.edgesdk.linux.cpufreq.CpuFreq#read()} returns a {@link org.edgesdk.linux.cpufreq.CpuFreqInfo}
 * with every {@link org.edgesdk.linux.cpufreq.Policy} (a group of CPUs that share one clock), and
 * {@link org.edgesdk.linux.cpufreq.CpuFreq#change(int)} starts a {@link
 * org.edgesdk.linux.cpufreq.PolicyChange}: a transaction that validates every value before touching
 * a file, writes in the kernel's order, reads back, and returns an {@link
 * org.edgesdk.linux.cpufreq.AppliedChange} that can restore the previous settings on close.
 *
 * <p>Capping the CPU while it is hot, and restoring the previous settings afterwards:
 *
 * {@snippet class=org.edgesdk.linux.LinuxSnippetsTest region=cpufreq-thermal}
 *
 * <p>A machine without cpufreq (most virtual machines) is not an error: {@link
 * org.edgesdk.linux.cpufreq.CpuFreqInfo#policies()} is then unavailable with the reason.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.linux.cpufreq;

import org.jspecify.annotations.NullMarked;
