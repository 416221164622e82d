package org.edgesdk.linux.posture;

import java.util.Objects;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;

/**
 * The cgroup limits that apply to this process: the tightest value found in its cgroup and in
 * every ancestor visible below the cgroup mount.
 *
 * <p>Each controller is read where the kernel has it: from the cgroup v2 tree ({@code 0::/path} in
 * {@code /proc/self/cgroup}, the {@code cgroup2} mount), or, on a cgroup v1-only host, a hybrid host,
 * or for a controller the v2 tree lacks, from its cgroup v1 hierarchy (the {@code ID:controller:/path}
 * line, the {@code cgroup} mount whose options name the controller). The v1 files are
 * {@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us} (quota {@code -1}: no limit),
 * {@code memory.limit_in_bytes} (values of at least {@code 0x7FFFFFFFFF000000} are the kernel's
 * "unlimited", {@code PAGE_COUNTER_MAX} pages: {@code 9223372036854771712} with 4 KiB pages; the JDK's
 * container support uses the same bound), {@code pids.max}, and {@code cpuset.effective_cpus} (or
 * {@code cpuset.cpus}). cgroup v1 has no {@code memory.high}: on v1 {@link #memoryHigh()} is
 * {@link Limit.Unlimited} with that reason.
 *
 * @param cgroup where the limits were read: the cgroup path of {@code /proc/self/cgroup} and the
 *     directory, for example {@code / at /sys/fs/cgroup (cgroup namespace)}, followed for v1 by each
 *     hierarchy read ({@code cgroup v1: memory /docker/abc at /sys/fs/cgroup/memory, ...}), or the
 *     reason none could be located
 * @param cpuCores the CPU quota in cores ({@code cpu.max} quota divided by period, or v1
 *     {@code cpu.cfs_quota_us} divided by {@code cpu.cfs_period_us}: {@code 1.5})
 * @param memoryMax the hard memory limit in bytes ({@code memory.max}, v1 {@code memory.limit_in_bytes})
 * @param memoryHigh the memory throttling threshold in bytes ({@code memory.high}; none on v1)
 * @param pidsMax the maximum number of tasks ({@code pids.max})
 * @param cpuset the CPUs the cgroup may run on ({@code cpuset.cpus.effective}, v1
 *     {@code cpuset.effective_cpus})
 */
public record CgroupLimits(
    Availability<String> cgroup,
    Limit<Double> cpuCores,
    Limit<Long> memoryMax,
    Limit<Long> memoryHigh,
    Limit<Long> pidsMax,
    Availability<CpuSet> cpuset) {
  /**
   * Creates the limits.
   *
   * @param cgroup where they were read
   * @param cpuCores the CPU quota in cores
   * @param memoryMax the hard memory limit
   * @param memoryHigh the memory throttling threshold
   * @param pidsMax the maximum number of tasks
   * @param cpuset the effective CPUs
   */
  public CgroupLimits {
    Objects.requireNonNull(cgroup, "cgroup");
    Objects.requireNonNull(cpuCores, "cpuCores");
    Objects.requireNonNull(memoryMax, "memoryMax");
    Objects.requireNonNull(memoryHigh, "memoryHigh");
    Objects.requireNonNull(pidsMax, "pidsMax");
    Objects.requireNonNull(cpuset, "cpuset");
  }
}
