package org.edgesdk.linux.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.rt.Diagnosis.Cause;
import org.edgesdk.linux.rt.internal.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EPERM/EINVAL/EBUSY from a fake kernel, diagnosed on fixture trees of the machines they come from. */
class DiagnosisTest {
  @TempDir Path dir;

  private final FakeKernel kernel = new FakeKernel();

  private EdgeException refused(String fixture, int errno, SchedPolicy policy) {
    HostRoot root = FixtureTree.materialise(fixture, dir);
    kernel.refuseSetWith = errno;
    return assertThrows(EdgeException.class, () -> RealTime.of(root, kernel).apply(policy));
  }

  @Test
  void apply_eperm_dockerDefaultCaps_saysCapabilityAndRlimit() {
    EdgeException e = refused("docker-default-caps-rpi5-rt.tree", Errno.EPERM, SchedPolicy.fifo(80));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.problem().contains("failed with EPERM"), e.problem());
    assertTrue(e.problem().contains("lacks CAP_SYS_NICE and RLIMIT_RTPRIO is 0, below priority 80"), e.problem());
    assertTrue(e.remedy().contains("--cap-add=SYS_NICE"), e.remedy());
    assertTrue(e.remedy().contains("LimitRTPRIO=80"), e.remedy());
    assertFalse(e.problem().contains("cgroup v2"), e.problem());
  }

  @Test
  void apply_eperm_rootInCgroupV2WithRtGroupSched_saysCgroupNotCapability() {
    EdgeException e = refused("systemd-cgroup2-rt-group-sched.tree", Errno.EPERM, SchedPolicy.fifo(80));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.problem().contains("CONFIG_RT_GROUP_SCHED"), e.problem());
    assertTrue(e.problem().contains("/system.slice/plc.service"), e.problem());
    assertTrue(e.problem().contains("even with CAP_SYS_NICE"), e.problem());
    assertFalse(e.problem().contains("lacks CAP_SYS_NICE"), e.problem());
    assertTrue(e.remedy().contains("rt_group_sched=0"), e.remedy());
  }

  @Test
  void apply_eperm_cgroupV1GroupWithoutRtRuntime_saysCpuRtRuntime() {
    EdgeException e = refused("docker-v1-cpu-rt-runtime-zero.tree", Errno.EPERM, SchedPolicy.rr(50));
    assertTrue(e.problem().contains("/docker/4f2a has cpu.rt_runtime_us 0"), e.problem());
    assertTrue(e.remedy().contains("--cpu-rt-runtime="), e.remedy());
    assertTrue(e.remedy().contains("cpu.rt_runtime_us"), e.remedy());
    assertFalse(e.problem().contains("lacks CAP_SYS_NICE"), e.problem()); // --cap-add=SYS_NICE given
  }

  @Test
  void apply_eperm_rtRuntimeZero_saysSysctl() {
    HostRoot root = FixtureTree.materialise("vm-6.18-dynamic-cgroup-v1.tree", dir);
    FixtureTree.write(root, "/proc/sys/kernel/sched_rt_runtime_us", "0\n");
    kernel.refuseSetWith = Errno.EPERM;
    EdgeException e = assertThrows(EdgeException.class, () -> RealTime.of(root, kernel).apply(SchedPolicy.fifo(10)));
    assertTrue(e.problem().contains("sched_rt_runtime_us is 0"), e.problem());
    assertTrue(e.remedy().contains("kernel.sched_rt_runtime_us=950000"), e.remedy());
  }

  @Test
  void apply_eperm_deadlineWithNarrowAffinity_saysRootDomain() {
    HostRoot root = FixtureTree.materialise("vm-6.18-dynamic-cgroup-v1.tree", dir);
    kernel.refuseSetWith = Errno.EPERM;
    kernel.affinity = new long[] {0b01}; // pinned to CPU 0 of 0-1
    EdgeException e = assertThrows(EdgeException.class, () -> RealTime.of(root, kernel).apply(
        SchedPolicy.deadline(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10))));
    assertTrue(e.problem().contains("root domain (0-1)"), e.problem());
  }

  @Test
  void apply_eperm_noCauseVisible_pointsAtSeccompAndRestrictRealtime() {
    EdgeException e = refused("vm-6.18-dynamic-cgroup-v1.tree", Errno.EPERM, SchedPolicy.fifo(10));
    assertTrue(e.problem().contains("none of the usual causes"), e.problem());
    assertTrue(e.remedy().contains("RestrictRealtime="), e.remedy());
  }

  @Test
  void apply_einval_givesTheValidRange() {
    EdgeException e = refused("vm-6.18-dynamic-cgroup-v1.tree", Errno.EINVAL, SchedPolicy.fifo(10));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.problem().contains("the valid SCHED_FIFO priorities are 1..99"), e.problem());
  }

  @Test
  void apply_ebusyOnDeadline_isBusyWithBandwidth() {
    EdgeException e = refused("vm-6.18-dynamic-cgroup-v1.tree", Errno.EBUSY,
        SchedPolicy.deadline(Duration.ofMillis(9), Duration.ofMillis(10), Duration.ofMillis(10)));
    assertEquals(ErrorCode.BUSY, e.code());
    assertTrue(e.problem().contains("admission control"), e.problem());
    assertTrue(e.problem().contains("950000/1000000"), e.problem());
  }

  @Test
  void apply_negativeNiceWithoutPrivilege_saysRlimitNice() {
    EdgeException e = refused("docker-default-caps-rpi5-rt.tree", Errno.EACCES, SchedPolicy.other(-5));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.problem().contains("RLIMIT_NICE"), e.problem());
  }

  @Test
  void lockMemory_enomemWithoutIpcLock_saysMemlockLimit() {
    HostRoot root = FixtureTree.materialise("docker-default-caps-rpi5-rt.tree", dir);
    kernel.refuseMlockWith = Errno.ENOMEM;
    EdgeException e = assertThrows(EdgeException.class, () -> RealTime.of(root, kernel).lockMemory());
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.problem().contains("lacks CAP_IPC_LOCK and RLIMIT_MEMLOCK is 8388608 bytes"), e.problem());
    assertTrue(e.remedy().contains("LimitMEMLOCK=infinity"), e.remedy());
  }

  @Test
  void causes_rlimitRtprioHighEnough_noPrivilegeCause() {
    HostRoot root = FixtureTree.materialise("docker-default-caps-rpi5-rt.tree", dir);
    ProcessFacts base = ProcessFacts.read(root);
    ProcessFacts withLimit = new ProcessFacts(base.capEff(),
        java.util.Map.of(ProcessFacts.RTPRIO, new ProcessFacts.Limit(90, 90)), base.cgroupV2Path(),
        base.cpuV1Path(), base.cpuControllerOnV1(), base.cpuControllerOnV2(), base.rtGroupSched(),
        base.rtRuntimeUs(), base.rtPeriodUs(), base.cgroupV1RtRuntimeUs(), base.cgroupCpus(),
        base.onlineCpus(), base.evidence());
    assertEquals(List.of(), Diagnosis.causes(SchedPolicy.fifo(80), withLimit, Optional.empty()));
    assertEquals(List.of(Cause.NO_PRIVILEGE), Diagnosis.causes(SchedPolicy.fifo(95), withLimit, Optional.empty()));
    assertEquals(List.of(Cause.NO_PRIVILEGE), Diagnosis.causes(
        SchedPolicy.deadline(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1)), withLimit,
        Optional.of(CpuSet.range(0, 2))));
  }

  @Test
  void causes_cgroupV2RootGroup_notRefused() {
    HostRoot root = FixtureTree.materialise("systemd-cgroup2-rt-group-sched.tree", dir);
    FixtureTree.write(root, "/proc/self/cgroup", "0::/\n");
    assertEquals(List.of(), Diagnosis.causes(SchedPolicy.fifo(80), ProcessFacts.read(root), Optional.empty()));
  }

  @Test
  void causes_cgroupV2WithoutCpuController_notRefused() {
    HostRoot root = FixtureTree.materialise("systemd-cgroup2-rt-group-sched.tree", dir);
    FixtureTree.write(root, "/sys/fs/cgroup/system.slice/cgroup.subtree_control", "memory pids\n");
    assertEquals(List.of(), Diagnosis.causes(SchedPolicy.fifo(80), ProcessFacts.read(root), Optional.empty()));
  }

  @Test
  void causes_rtGroupSchedDisabledAtBoot_notRefused() {
    HostRoot root = FixtureTree.materialise("systemd-cgroup2-rt-group-sched.tree", dir);
    FixtureTree.write(root, "/proc/cmdline", "root=/dev/sda1 ro rt_group_sched=0\n");
    assertEquals(List.of(), Diagnosis.causes(SchedPolicy.fifo(80), ProcessFacts.read(root), Optional.empty()));
  }
}
