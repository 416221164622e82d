package org.edgesdk.linux.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardrailsTest {
  @TempDir Path dir;

  private static final PriorityRange RT = new PriorityRange(1, 99);

  @Test
  void checkPriority_outsideKernelRange_refusedWithRange() {
    EdgeException e = assertThrows(EdgeException.class,
        () -> Guardrails.checkPriority(SchedPolicy.fifo(120), RT, true));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.problem().contains("priority 120 is outside the kernel's range 1..99"), e.problem());
  }

  @Test
  void checkPriority_99WithoutOptIn_refused_withOptIn_accepted() {
    EdgeException e = assertThrows(EdgeException.class, () -> Guardrails.checkPriority(SchedPolicy.rr(99), RT, false));
    assertTrue(e.remedy().contains("allowingMaxPriority()"), e.remedy());
    Guardrails.checkPriority(SchedPolicy.rr(99), RT, true);
    Guardrails.checkPriority(SchedPolicy.fifo(98), RT, false);
  }

  @Test
  void starvation_moreRtThreadsThanCpus_warns() {
    Optional<String> w = Guardrails.starvation(2, CpuSet.empty(), CpuSet.range(0, 1), OptionalLong.of(950000));
    assertTrue(w.isPresent());
    assertTrue(w.get().contains("can occupy all 2 CPU(s) this JVM may use (0-1)"), w.get());
  }

  @Test
  void starvation_pinnedToEveryCpu_throttlingOff_warnsHang() {
    Optional<String> w = Guardrails.starvation(1, CpuSet.of(0), CpuSet.of(0), OptionalLong.of(-1));
    assertTrue(w.orElseThrow().contains("can hang the JVM"), w.get());
  }

  @Test
  void starvation_cpuLeftForJvm_noWarning() {
    assertEquals(Optional.empty(), Guardrails.starvation(1, CpuSet.of(1), CpuSet.range(0, 3), OptionalLong.of(950000)));
    assertEquals(Optional.empty(), Guardrails.starvation(0, CpuSet.empty(), CpuSet.of(0), OptionalLong.empty()));
  }

  @Test
  void apply_fifoOnOneCpuMachine_returnsStarvationWarning() {
    HostRoot root = FixtureTree.materialise("vm-6.18-dynamic-cgroup-v1.tree", dir);
    FixtureTree.write(root, "/sys/devices/system/cpu/online", "0\n");
    FakeKernel kernel = new FakeKernel();
    Applied applied = RealTime.of(root, kernel).apply(SchedPolicy.fifo(50));
    assertEquals(SchedPolicy.fifo(50), applied.policy());
    assertEquals(1, applied.warnings().size(), applied.warnings().toString());
  }

  @Test
  void apply_fifoWithCpuLeft_noWarning() {
    HostRoot root = FixtureTree.materialise("vm-6.18-dynamic-cgroup-v1.tree", dir);
    Applied applied = RealTime.of(root, new FakeKernel()).apply(SchedPolicy.fifo(50));
    assertEquals(java.util.List.of(), applied.warnings());
  }

  @Test
  void apply_priority99_refusedBeforeTheKernelIsAsked() {
    FakeKernel kernel = new FakeKernel();
    RealTime rt = RealTime.of(HostRoot.of(dir), kernel);
    assertThrows(EdgeException.class, () -> rt.apply(SchedPolicy.fifo(99)));
    assertEquals(0, kernel.setCalls);
    assertEquals(SchedPolicy.fifo(99), rt.allowingMaxPriority().apply(SchedPolicy.fifo(99)).policy());
  }

  @Test
  void setAffinity_clampedToCgroupCpuset_outsideRefused() {
    HostRoot root = FixtureTree.materialise("docker-default-caps-rpi5-rt.tree", dir);
    FakeKernel kernel = new FakeKernel();
    RealTime rt = RealTime.of(root, kernel);
    assertEquals(CpuSet.of(2), rt.setAffinity(CpuSet.of(2, 3)));
    assertEquals(CpuSet.of(2), CpuSet.fromWords(kernel.affinity));
    EdgeException e = assertThrows(EdgeException.class, () -> rt.setAffinity(CpuSet.of(3, 2000)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.problem().contains("outside the CPUs this process may use (0-2"), e.problem());
  }

  @Test
  void setAffinity_above1024Cpus_passesTheWholeMask() {
    HostRoot root = HostRoot.of(dir);
    FixtureTree.write(root, "/sys/devices/system/cpu/online", "0-2047\n");
    FakeKernel kernel = new FakeKernel();
    kernel.affinity = CpuSet.of(1500).toWords();
    RealTime rt = RealTime.of(root, kernel);
    assertEquals(CpuSet.of(3, 1500), rt.setAffinity(CpuSet.of(3, 1500)));
    assertEquals(24, kernel.affinity.length); // 1500 / 64 + 1 words
  }
}
