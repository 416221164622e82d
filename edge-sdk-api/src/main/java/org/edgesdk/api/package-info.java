/**
 * The core contracts shared by every Edge SDK module.
 *
 * <ul>
 *   <li>{@link org.edgesdk.api.EdgeException} is the one unchecked root of every SDK failure; it
 *       carries a machine-readable {@link org.edgesdk.api.ErrorCode}, the problem and the remedy.
 *   <li>{@link org.edgesdk.api.HostRoot} is the directory that stands in for {@code /}: every Linux
 *       reader takes one per instance, so a process can read the live system and fixture trees side by
 *       side.
 *   <li>{@link org.edgesdk.api.CpuSet} is an immutable set of CPU numbers in the kernel's list syntax
 *       ({@code 0-3,6}), used for cpufreq policies, affinity and cgroup cpusets.
 *   <li>{@link org.edgesdk.api.Availability} states that a capability a device may lack is present,
 *       or why it is not.
 * </ul>
 *
 * <p>A capability the device lacks and an SDK failure, as an application handles them:
 *
 * {@snippet class=org.edgesdk.api.ApiSnippetsTest region=availability}
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}, and
 * no method returns null; values that can be absent are {@link java.util.Optional} or
 * {@link org.edgesdk.api.Availability}.
 */
@NullMarked
package org.edgesdk.api;

import org.jspecify.annotations.NullMarked;
