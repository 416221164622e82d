package org.edgesdk.linux.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.kernel.Evidence;
import org.edgesdk.linux.kernel.KernelPreemption;
import org.edgesdk.linux.kernel.PreemptionModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RtReadinessTest {
  @TempDir Path dir;

  private static Finding finding(RtReadiness r, String topic) {
    return r.findings().stream().filter(f -> f.topic().equals(topic)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + topic + " finding in " + r.findings()));
  }

  @Test
  void read_thisVm_dynamicNone_rootWithCaps_noIsolation() {
    RtReadiness r = RtReadiness.read(FixtureTree.materialise("vm-6.18-dynamic-cgroup-v1.tree", dir),
        List.of("G1 Young Generation", "G1 Old Generation"));
    assertEquals(PreemptionModel.PREEMPT_DYNAMIC, r.preemption().model());
    assertEquals(Optional.of("none"), r.preemption().dynamicMode());
    Finding preemption = finding(r, "preemption");
    assertEquals(Severity.WARNING, preemption.severity());
    assertTrue(preemption.recommendation().contains("preempt=full"), preemption.recommendation());
    assertTrue(preemption.evidence().stream().anyMatch(e -> e.source().equals("/proc/version")));
    assertEquals(Severity.OK, finding(r, "privilege").severity());
    assertEquals(Severity.OK, finding(r, "memlock").severity());
    assertEquals(Severity.INFO, finding(r, "cgroup").severity());
    assertEquals(Severity.INFO, finding(r, "throttling").severity());
    assertEquals(Severity.INFO, finding(r, "isolation").severity());
    assertEquals(Severity.INFO, finding(r, "cpufreq").severity());
    assertEquals(Severity.INFO, finding(r, "gc").severity());
    assertEquals(Severity.OK, finding(r, "cpus").severity());
    assertTrue(r.evidence().contains(new Evidence("/proc/sys/kernel/sched_rt_runtime_us", "950000")));
    assertTrue(r.evidence().contains(new Evidence("JVM garbage collectors", "G1 Young Generation, G1 Old Generation")));
    assertEquals(Severity.WARNING, r.worst());
  }

  @Test
  void read_cgroupV2WithRtGroupSched_problemWithBootParameterFix() {
    RtReadiness r = RtReadiness.read(FixtureTree.materialise("systemd-cgroup2-rt-group-sched.tree", dir), List.of());
    Finding cgroup = finding(r, "cgroup");
    assertEquals(Severity.PROBLEM, cgroup.severity());
    assertTrue(cgroup.recommendation().contains("rt_group_sched=0"), cgroup.recommendation());
    assertTrue(cgroup.evidence().contains(new Evidence("CONFIG_RT_GROUP_SCHED in /boot/config-6.12.48-plc", "y")),
        cgroup.evidence().toString());
    assertEquals(Optional.of("full"), r.preemption().dynamicMode());
    assertEquals(Severity.INFO, finding(r, "preemption").severity());
    assertEquals(Severity.WARNING, finding(r, "cpufreq").severity());
    assertEquals(Severity.PROBLEM, r.worst());
  }

  @Test
  void read_dockerOnRtPi_rtKernelIsolatedCpu_butNoPrivilege() {
    RtReadiness r = RtReadiness.read(FixtureTree.materialise("docker-default-caps-rpi5-rt.tree", dir),
        List.of("ZGC Cycles", "ZGC Pauses"));
    assertEquals(PreemptionModel.PREEMPT_RT, r.preemption().model());
    assertEquals(Severity.OK, finding(r, "preemption").severity());
    Finding privilege = finding(r, "privilege");
    assertEquals(Severity.PROBLEM, privilege.severity());
    assertTrue(privilege.recommendation().contains("--cap-add=SYS_NICE"), privilege.recommendation());
    assertEquals(Severity.WARNING, finding(r, "memlock").severity());
    Finding isolation = finding(r, "isolation");
    assertEquals(Severity.OK, isolation.severity());
    assertTrue(isolation.conclusion().contains("nohz_full CPUs 3"), isolation.conclusion());
    assertEquals(Severity.OK, finding(r, "gc").severity());
    assertTrue(finding(r, "cpus").conclusion().contains("0-2"), finding(r, "cpus").conclusion());
  }

  @Test
  void read_serialCollector_warns() {
    RtReadiness r = RtReadiness.read(HostRoot.of(dir), List.of("Copy", "MarkSweepCompact"));
    assertEquals(Severity.WARNING, finding(r, "gc").severity());
    assertEquals(PreemptionModel.UNKNOWN, r.preemption().model());
  }

  @Test
  void read_liveSystem_agreesWithKernelPreemption() {
    RtReadiness r = RtReadiness.read(HostRoot.system());
    assertEquals(KernelPreemption.read(HostRoot.system()).model(), r.preemption().model());
    assertTrue(r.findings().size() >= 8, r.findings().toString());
  }
}
