package org.edgesdk.linux.posture;

import java.util.Objects;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;

/**
 * The cgroup v2 limits that apply to this process: the tightest value found in its cgroup and in
 * every ancestor visible below the cgroup2 mount.
 *
 * @param cgroup where the limits were read: the cgroup path of {@code /proc/self/cgroup} and the
 *     directory, for example {@code / at /sys/fs/cgroup (cgroup namespace)}, or the reason none could
 *     be located
 * @param cpuCores the CPU quota in cores ({@code cpu.max} quota divided by period: {@code 1.5})
 * @param memoryMax the hard memory limit in bytes ({@code memory.max})
 * @param memoryHigh the memory throttling threshold in bytes ({@code memory.high})
 * @param pidsMax the maximum number of tasks ({@code pids.max})
 * @param cpuset the CPUs the cgroup may run on ({@code cpuset.cpus.effective})
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
