package org.edgesdk.linux.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.kernel.Evidence;
import org.edgesdk.linux.rt.ProcessFacts.Limit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessFactsTest {
  @TempDir Path dir;

  @Test
  void parseCapEff_statusText_mask() {
    assertEquals(OptionalLong.of(0xa80425fbL), ProcessFacts.parseCapEff("CapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\n"));
    assertEquals(OptionalLong.empty(), ProcessFacts.parseCapEff("Name:\tjava\n"));
  }

  @Test
  void parseLimits_kernelColumns_softHardAndUnlimited() {
    String text = String.format("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units")
        + String.format("%-25s %-20s %-20s %-10s\n", "Max locked memory", "8388608", "unlimited", "bytes")
        + String.format("%-25s %-20s %-20s %-10s\n", "Max realtime priority", "0", "95", "");
    var limits = ProcessFacts.parseLimits(text);
    assertEquals(new Limit(8388608, Limit.UNLIMITED), limits.get(ProcessFacts.MEMLOCK));
    assertEquals(new Limit(0, 95), limits.get(ProcessFacts.RTPRIO));
    assertEquals(2, limits.size());
  }

  @Test
  void parseCgroupPath_v2AndV1Controllers() {
    String text = "11:cpuset:/docker/4f2a\n4:cpuacct,cpu:/docker/4f2a\n0::/system.slice/x.service\n";
    assertEquals(Optional.of("/system.slice/x.service"), ProcessFacts.parseCgroupPath(text, true, ""));
    assertEquals(Optional.of("/docker/4f2a"), ProcessFacts.parseCgroupPath(text, false, "cpu"));
    assertEquals(Optional.of("/docker/4f2a"), ProcessFacts.parseCgroupPath(text, false, "cpuset"));
    assertEquals(Optional.empty(), ProcessFacts.parseCgroupPath(text, false, "memory"));
  }

  @Test
  void read_thisVm_rootCpuGroupOnV1_rtGroupSchedOn() {
    ProcessFacts f = ProcessFacts.read(FixtureTree.materialise("vm-6.18-dynamic-cgroup-v1.tree", dir));
    assertEquals(Optional.of(true), f.capSysNice());
    assertEquals(Optional.of("/"), f.cpuV1Path());
    assertTrue(f.cpuControllerOnV1());
    assertEquals(Optional.of(true), f.rtGroupSched());
    assertEquals(OptionalLong.empty(), f.cgroupV1RtRuntimeUs()); // the root group is not a limit
    assertEquals(Optional.of(CpuSet.range(0, 1)), f.allowedCpus());
    assertTrue(f.evidence().contains(new Evidence("/proc/sys/kernel/sched_rt_runtime_us", "950000")), f.evidence().toString());
  }

  @Test
  void read_dockerContainer_cpusetClampsOnlineCpus_noCapabilities() {
    ProcessFacts f = ProcessFacts.read(FixtureTree.materialise("docker-default-caps-rpi5-rt.tree", dir));
    assertEquals(Optional.of(false), f.capSysNice());
    assertEquals(Optional.of(false), f.capIpcLock());
    assertEquals(Optional.of(CpuSet.range(0, 2)), f.allowedCpus());
    assertEquals(Optional.of(false), f.cpuControllerOnV2());
  }

  @Test
  void read_cgroupV2NestedWithoutCpuset_usesNearestAncestor() {
    HostRoot root = FixtureTree.materialise("systemd-cgroup2-rt-group-sched.tree", dir);
    FixtureTree.write(root, "/sys/fs/cgroup/system.slice/cpuset.cpus.effective", "1-2\n");
    assertEquals(Optional.of(CpuSet.range(1, 2)), ProcessFacts.read(root).allowedCpus());
  }

  @Test
  void read_emptyRoot_nothingKnown() {
    ProcessFacts f = ProcessFacts.read(HostRoot.of(dir));
    assertEquals(Optional.empty(), f.capSysNice());
    assertEquals(Optional.empty(), f.allowedCpus());
    assertTrue(f.evidence().isEmpty());
  }

  @Test
  void read_v1CpusetMountedButNotCpu_cpuControllerNotTakenFromCpuset() {
    HostRoot root = HostRoot.of(dir);
    FixtureTree.write(root, "/proc/self/cgroup", "3:cpuset:/\n1:cpu:/app\n");
    FixtureTree.write(root, "/sys/fs/cgroup/cpuset/cpuset.effective_cpus", "0-3\n");
    ProcessFacts f = ProcessFacts.read(root);
    assertEquals(false, f.cpuControllerOnV1());
    assertEquals(Optional.of(CpuSet.range(0, 3)), f.allowedCpus());
  }
}
