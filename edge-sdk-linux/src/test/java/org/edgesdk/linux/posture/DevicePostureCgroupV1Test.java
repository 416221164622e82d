package org.edgesdk.linux.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cgroup v1 limits: missing hierarchies, paths outside the mount root, garbage and unreadable files
 * make one limit unknown with the file and the problem; the others are still read and nothing throws.
 */
class DevicePostureCgroupV1Test {
  private static final String CG = "/docker/4f1c2a";

  @TempDir Path dir;

  private HostRoot root() {
    return HostRoot.of(dir);
  }

  private void write(String systemPath, String content) throws IOException {
    Path file = root().resolve(systemPath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private CgroupLimits limits() {
    return DevicePosture.read(root(), Map.of()).container().limits();
  }

  /** A Docker container on a v1 host: each hierarchy mounted with the container's cgroup as root. */
  private void dockerOnV1() throws IOException {
    write("/proc/self/cgroup", "8:pids:" + CG + "\n7:memory:" + CG + "\n6:cpu,cpuacct:" + CG + "\n3:cpuset:"
        + CG + "\n1:name=systemd:" + CG + "\n0::/system.slice/containerd.service\n");
    write("/proc/self/mountinfo", "1 0 0:50 / / rw - overlay overlay rw,lowerdir=/a,upperdir=/b,workdir=/c\n"
        + mount(30, "cpu,cpuacct") + mount(31, "memory") + mount(32, "pids") + mount(33, "cpuset"));
    write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "50000\n");
    write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "536870912\n");
    write("/sys/fs/cgroup/pids/pids.max", "64\n");
    write("/sys/fs/cgroup/cpuset/cpuset.effective_cpus", "2-3\n");
    write("/sys/fs/cgroup/cpuset/cpuset.cpus", "2-3\n");
  }

  private static String mount(int id, String controllers) {
    return id + " 20 0:" + id + " " + CG + " /sys/fs/cgroup/" + controllers
        + " ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw," + controllers + "\n";
  }

  private static String unknown(Limit<?> limit) {
    assertTrue(limit instanceof Limit.Unknown<?>, "expected unknown: " + limit);
    return ((Limit.Unknown<?>) limit).reason();
  }

  @Test
  void read_dockerOnV1_everyLimitFromTheMountPoints() throws IOException {
    dockerOnV1();
    CgroupLimits limits = limits();
    assertEquals(Optional.of(0.5), limits.cpuCores().toOptional());
    assertEquals(Optional.of(536_870_912L), limits.memoryMax().toOptional());
    assertEquals(Optional.of(64L), limits.pidsMax().toOptional());
    assertEquals(CpuSet.range(2, 3), limits.cpuset().orElseThrow());
    assertTrue(limits.memoryHigh() instanceof Limit.Unlimited<Long> u && u.source().contains("soft_limit"),
        limits.memoryHigh().toString());
    assertTrue(limits.cgroup().orElseThrow().contains("memory " + CG + " at /sys/fs/cgroup/memory (the mount"
        + " shows the container's own cgroup; ancestors hidden)"), limits.cgroup().toString());
  }

  @Test
  void read_garbageCfsQuota_cpuUnknownWithTheContentOthersStillRead() throws IOException {
    dockerOnV1();
    write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "lots\n");
    CgroupLimits limits = limits();
    String reason = unknown(limits.cpuCores());
    assertTrue(reason.contains("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us is malformed")
        && reason.contains("'lots'"), reason);
    assertEquals(Optional.of(536_870_912L), limits.memoryMax().toOptional());
  }

  @Test
  void read_negativeOrZeroCfsQuota_unknownOnlyMinusOneMeansNoLimit() throws IOException {
    dockerOnV1();
    for (String quota : new String[] {"-2", "0", "", "99999999999999999999"}) {
      write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", quota + "\n");
      assertTrue(unknown(limits().cpuCores()).contains("cpu.cfs_quota_us is malformed"), quota);
    }
    write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
    assertTrue(limits().cpuCores() instanceof Limit.Unlimited<Double> u
        && u.source().equals("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us = -1"), limits().cpuCores().toString());
  }

  @Test
  void read_zeroOrMissingCfsPeriod_unknownNamingThePeriodFile() throws IOException {
    dockerOnV1();
    write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "0\n");
    String reason = unknown(limits().cpuCores());
    assertTrue(reason.contains("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us is malformed: '0'"), reason);
    Files.delete(root().resolve("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us"));
    reason = unknown(limits().cpuCores());
    assertTrue(reason.contains("cpu.cfs_period_us is missing next to")
        && reason.contains("cpu.cfs_quota_us = 50000"), reason);
  }

  @Test
  void read_garbageMemoryLimit_unknownNamingTheFile() throws IOException {
    dockerOnV1();
    for (String value : new String[] {"-1", "512M", "", "9223372036854775808", "99999999999999999999"}) {
      write("/sys/fs/cgroup/memory/memory.limit_in_bytes", value + "\n");
      String reason = unknown(limits().memoryMax());
      assertTrue(reason.contains("/sys/fs/cgroup/memory/memory.limit_in_bytes is malformed: '" + value + "'"),
          reason);
    }
    assertEquals(Optional.of(64L), limits().pidsMax().toOptional(), "the others are still read");
  }

  @Test
  void read_memoryLimitAtTheKernelsUnlimitedBound_noLimitForEveryPageSize() throws IOException {
    dockerOnV1();
    // 4 KiB, 16 KiB and 64 KiB pages: PAGE_COUNTER_MAX * PAGE_SIZE
    for (String value : new String[] {"9223372036854771712", "9223372036854759424", "9223372036854710272",
        "9223372036837998592", "9223372036854775807"}) {
      write("/sys/fs/cgroup/memory/memory.limit_in_bytes", value + "\n");
      Limit<Long> memory = limits().memoryMax();
      assertTrue(memory instanceof Limit.Unlimited<Long> u && u.source().contains(value)
          && u.source().contains("0x7FFFFFFFFF000000"), value + ": " + memory);
    }
    write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036837998591\n");
    assertEquals(Optional.of(9_223_372_036_837_998_591L), limits().memoryMax().toOptional(),
        "just below the bound is a (huge) limit");
  }

  @Test
  void read_garbagePidsMaxAndCpuset_eachUnknownNamingTheFile() throws IOException {
    dockerOnV1();
    write("/sys/fs/cgroup/pids/pids.max", "unlimited\n");
    write("/sys/fs/cgroup/cpuset/cpuset.effective_cpus", "0-x\n");
    CgroupLimits limits = limits();
    String reason = unknown(limits.pidsMax());
    assertTrue(reason.contains("/sys/fs/cgroup/pids/pids.max is malformed: 'unlimited'"), reason);
    reason = ((Availability.Unavailable<CpuSet>) limits.cpuset()).reason();
    assertTrue(reason.contains("/sys/fs/cgroup/cpuset/cpuset.effective_cpus is malformed") && reason.contains("0-x"),
        reason);
  }

  @Test
  void read_pidsMaxMax_noLimit() throws IOException {
    dockerOnV1();
    write("/sys/fs/cgroup/pids/pids.max", "max\n");
    assertTrue(limits().pidsMax() instanceof Limit.Unlimited<Long> u
        && u.source().equals("/sys/fs/cgroup/pids/pids.max = max"), limits().pidsMax().toString());
  }

  @Test
  void read_noEffectiveCpus_fallsBackToCpusetCpusThenUnknown() throws IOException {
    dockerOnV1();
    Files.delete(root().resolve("/sys/fs/cgroup/cpuset/cpuset.effective_cpus"));
    write("/sys/fs/cgroup/cpuset/cpuset.cpus", "1\n");
    assertEquals(CpuSet.of(1), limits().cpuset().orElseThrow());
    Files.delete(root().resolve("/sys/fs/cgroup/cpuset/cpuset.cpus"));
    String reason = ((Availability.Unavailable<CpuSet>) limits().cpuset()).reason();
    assertTrue(reason.contains("cpuset.effective_cpus and") && reason.contains("are missing"), reason);
  }

  @Test
  void read_noProcSelfCgroupLineForAController_thatLimitUnknownOthersRead() throws IOException {
    dockerOnV1();
    write("/proc/self/cgroup", "7:memory:" + CG + "\n6:cpu,cpuacct:" + CG + "\n3:cpuset:" + CG + "\n");
    CgroupLimits limits = limits();
    String reason = unknown(limits.pidsMax());
    assertTrue(reason.contains("/proc/self/cgroup has no cgroup v1 line naming the pids controller"), reason);
    assertEquals(Optional.of(536_870_912L), limits.memoryMax().toOptional());
    assertTrue(limits.cgroup().isAvailable(), "the other hierarchies were located");
  }

  @Test
  void read_controllerNotMounted_unknownNamingTheMissingHierarchy() throws IOException {
    dockerOnV1();
    write("/proc/self/mountinfo", "1 0 0:50 / / rw - overlay overlay rw\n" + mount(30, "cpu,cpuacct")
        + mount(32, "pids") + mount(33, "cpuset"));
    CgroupLimits limits = limits();
    String reason = unknown(limits.memoryMax());
    assertTrue(reason.contains("no cgroup v1 hierarchy with the memory controller is mounted"), reason);
    assertEquals(reason, unknown(limits.memoryHigh()));
    assertEquals(Optional.of(0.5), limits.cpuCores().toOptional(), "cpuacct alone is not cpu, cpu,cpuacct is");
  }

  @Test
  void read_noHierarchyLocated_cgroupUnavailableWithEveryReason() throws IOException {
    write("/proc/self/cgroup", "1:name=systemd:/\n");
    write("/proc/self/mountinfo", "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n");
    CgroupLimits limits = limits();
    String reason = ((Availability.Unavailable<String>) limits.cgroup()).reason();
    assertTrue(reason.contains("naming the cpu controller") && reason.contains("naming the cpuset controller"),
        reason);
    unknown(limits.cpuCores());
    unknown(limits.memoryMax());
  }

  @Test
  void read_cgroupOutsideTheMountRoot_unknownNamingBoth() throws IOException {
    dockerOnV1();
    write("/proc/self/cgroup", "7:memory:/docker/other\n8:pids:" + CG + "/../../escape\n6:cpu,cpuacct:" + CG
        + "\n3:cpuset:" + CG + "\n");
    CgroupLimits limits = limits();
    String reason = unknown(limits.memoryMax());
    assertTrue(reason.contains("memory cgroup /docker/other is not below the root " + CG
        + " of the cgroup v1 mount at /sys/fs/cgroup/memory"), reason);
    reason = unknown(limits.pidsMax());
    assertTrue(reason.contains("outside this process's cgroup namespace"), reason);
    assertEquals(Optional.of(0.5), limits.cpuCores().toOptional());
  }

  @Test
  void read_cgroupDirectoryMissing_unknownNamingTheDirectory() throws IOException {
    write("/proc/self/cgroup", "7:memory:/system.slice/gone.service\n");
    write("/proc/self/mountinfo", "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
    write("/sys/fs/cgroup/memory/release_agent", "");
    String reason = unknown(limits().memoryMax());
    assertTrue(reason.contains("the cgroup directory /sys/fs/cgroup/memory/system.slice/gone.service"
        + " (for memory /system.slice/gone.service) does not exist"), reason);
  }

  @Test
  void read_limitFileIsADirectory_unknownNamingTheFile() throws IOException {
    dockerOnV1();
    Files.delete(root().resolve("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
    Files.createDirectories(root().resolve("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
    String reason = unknown(limits().memoryMax());
    assertTrue(reason.contains("memory.limit_in_bytes"), reason);
    assertEquals(Optional.of(64L), limits().pidsMax().toOptional());
  }

  @Test
  void read_unreadableLimitFile_unknownWithPermissionReason() throws IOException {
    dockerOnV1();
    Path file = root().resolve("/sys/fs/cgroup/pids/pids.max");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(Files.isReadable(file),
        "needs a non-root user: root reads a file whatever its mode");
    String reason = unknown(limits().pidsMax());
    assertTrue(reason.contains("pids.max") && reason.contains("permission denied"), reason);
  }

  @Test
  void read_v1OnlyWithoutMountinfo_unknownSayingWhy() throws IOException {
    write("/proc/self/cgroup", "7:memory:/\n");
    String reason = unknown(limits().memoryMax());
    assertTrue(reason.contains("cgroup v1 only") && reason.contains("without mountinfo"), reason);
  }

  @Test
  void read_v1CgroupNamespaceRoot_missingFileUnknownButKernelRootUnlimited() throws IOException {
    write("/proc/self/cgroup", "8:pids:/\n");
    write("/proc/self/mountinfo", "38 30 0:35 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n");
    Files.createDirectories(root().resolve("/sys/fs/cgroup/pids"));
    String reason = unknown(limits().pidsMax());
    assertTrue(reason.contains("/sys/fs/cgroup/pids/pids.max is missing"), reason);
    write("/sys/fs/cgroup/pids/release_agent", "");
    assertTrue(limits().pidsMax() instanceof Limit.Unlimited<Long> u && u.source().contains("root cgroup"),
        limits().pidsMax().toString());
  }

  @Test
  void read_hostTreeMissingLeafFile_ancestorLimitWins() throws IOException {
    write("/proc/self/cgroup", "7:memory:/edge.slice/agent.service\n");
    write("/proc/self/mountinfo", "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
    write("/sys/fs/cgroup/memory/release_agent", "");
    write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    write("/sys/fs/cgroup/memory/edge.slice/memory.limit_in_bytes", "1073741824\n");
    Files.createDirectories(root().resolve("/sys/fs/cgroup/memory/edge.slice/agent.service"));
    Limit.Limited<Long> memory = (Limit.Limited<Long>) limits().memoryMax();
    assertEquals(1_073_741_824L, memory.value());
    assertEquals("/sys/fs/cgroup/memory/edge.slice/memory.limit_in_bytes = 1073741824", memory.source());
  }

  @Test
  void read_ancestorWithoutUseHierarchy_itsLimitDoesNotApply() throws IOException {
    write("/proc/self/cgroup", "7:memory:/edge.slice/agent.service\n");
    write("/proc/self/mountinfo", "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
    write("/sys/fs/cgroup/memory/release_agent", "");
    write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    write("/sys/fs/cgroup/memory/edge.slice/memory.limit_in_bytes", "1073741824\n");
    write("/sys/fs/cgroup/memory/edge.slice/memory.use_hierarchy", "0\n");
    write("/sys/fs/cgroup/memory/edge.slice/agent.service/memory.limit_in_bytes", "9223372036854771712\n");
    Limit<Long> memory = limits().memoryMax();
    assertTrue(memory instanceof Limit.Unlimited<Long> u
        && u.source().contains("/sys/fs/cgroup/memory/edge.slice/memory.use_hierarchy = 0")
        && !u.source().contains("edge.slice/memory.limit_in_bytes"), memory.toString());
    write("/sys/fs/cgroup/memory/edge.slice/memory.use_hierarchy", "1\n");
    assertEquals(Optional.of(1_073_741_824L), limits().memoryMax().toOptional());
  }

  @Test
  void read_v2TreeLackingCpuset_cpusetFromV1OthersFromV2() throws IOException {
    write("/proc/self/cgroup", "3:cpuset:/\n0::/\n");
    write("/proc/self/mountinfo", "30 1 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
        + "33 30 0:30 / /sys/fs/cgroup-v1/cpuset rw - cgroup cgroup rw,cpuset\n");
    write("/sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
    write("/sys/fs/cgroup-v1/cpuset/release_agent", "");
    write("/sys/fs/cgroup-v1/cpuset/cpuset.effective_cpus", "0-5\n");
    CgroupLimits limits = limits();
    assertEquals(CpuSet.range(0, 5), limits.cpuset().orElseThrow());
    assertTrue(limits.memoryMax() instanceof Limit.Unlimited<Long> u && u.source().contains("root cgroup"),
        limits.memoryMax().toString());
    assertEquals("/ at /sys/fs/cgroup (the root cgroup); cgroup v1: cpuset / at /sys/fs/cgroup-v1/cpuset"
        + " (the root cgroup)", limits.cgroup().orElseThrow());
  }

  @Test
  void read_garbageProcSelfCgroupLines_ignoredNeverACrash() throws IOException {
    dockerOnV1();
    write("/proc/self/cgroup", "garbage\n::\n7:memory\n7:memory:relative/path\n6:cpu,cpuacct:" + CG + "\n");
    CgroupLimits limits = limits();
    assertTrue(unknown(limits.memoryMax()).contains("no cgroup v1 line naming the memory controller"));
    assertEquals(Optional.of(0.5), limits.cpuCores().toOptional());
  }
}
