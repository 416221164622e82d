package org.edgesdk.linux.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.kernel.PreemptionModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The posture of nine real-world device kinds, each a fixture tree with a note on its sources. */
class DevicePostureFixturesTest {

  @TempDir Path dir;

  private DevicePosture read(String fixture) {
    HostRoot root = FixtureTree.materialise(fixture, dir);
    return DevicePosture.read(root, ProcessEnvironment.read(root).orElse(Map.of()));
  }

  private static FindingStatus status(DevicePosture p, String id) {
    return p.finding(id).orElseThrow(() -> new AssertionError("no finding " + id + " in " + p.findings()))
        .status();
  }

  private static String detail(DevicePosture p, String id) {
    return p.finding(id).orElseThrow().detail();
  }

  @Test
  void read_ubuntuCoreOnRaspberryPi_immutableSquashfsAndAppArmorConfinement() {
    DevicePosture p = read("ubuntu-core-rpi4.fixture");

    OsIdentity os = p.os().orElseThrow();
    assertEquals("ubuntu-core", os.id());
    assertEquals(Optional.of("24"), os.versionId());
    assertEquals(Optional.empty(), os.variantId());
    assertEquals(Optional.of("Ubuntu Core"), os.name());
    assertEquals(Distribution.UBUNTU_CORE, os.distribution());
    assertFalse(os.ostree());

    assertEquals("6.8.0-1043-raspi", p.kernelRelease().orElseThrow());
    assertEquals(PreemptionModel.PREEMPT_DYNAMIC, p.preemption().orElseThrow().model());

    RootFilesystem fs = p.rootFilesystem().orElseThrow();
    assertEquals("squashfs", fs.type());
    assertEquals("/dev/loop1", fs.source());
    assertTrue(fs.readOnly());

    MandatoryAccessControl mac = p.mac();
    assertEquals(SelinuxMode.DISABLED, mac.selinux().orElseThrow());
    assertTrue(mac.apparmor());
    assertEquals(5, mac.apparmorProfiles().orElseThrow());
    assertEquals(List.of("lockdown", "capability", "landlock", "yama", "apparmor"), mac.lsms().orElseThrow());
    assertEquals(LockdownMode.NONE, mac.lockdown().orElseThrow());
    assertEquals(Optional.of("snap.edge-agent.daemon (enforce)"), mac.processLabel());

    assertEquals(SecureBootState.UNKNOWN, p.secureBoot().state());
    assertTrue(p.secureBoot().detail().contains("no /sys/firmware/efi"), p.secureBoot().detail());
    assertFalse(p.tpm().present());
    assertEquals(false, p.fips().orElseThrow());

    assertEquals(ContainerRuntime.NONE, p.container().runtime());
    CgroupLimits limits = p.container().limits();
    assertInstanceOf(Limit.Unlimited.class, limits.cpuCores());
    assertInstanceOf(Limit.Unlimited.class, limits.memoryMax());
    assertEquals(Optional.of(4915L), limits.pidsMax().toOptional());
    assertEquals(CpuSet.range(0, 3), limits.cpuset().orElseThrow(), "the root cgroup's, no cpuset below it");

    assertEquals(FindingStatus.PASS, status(p, "rootfs.read-only"));
    assertEquals(FindingStatus.PASS, status(p, "mac.enforcing"));
    assertEquals(FindingStatus.UNKNOWN, status(p, "secure-boot"));
    assertEquals(FindingStatus.WARN, status(p, "tpm"));
    assertEquals(FindingStatus.WARN, status(p, "kernel.lockdown"));
    assertEquals(FindingStatus.WARN, status(p, "process.non-root"));
    assertTrue(p.finding("container.memory-limit").isEmpty(), "container checks only in containers");
  }

  @Test
  void read_rhelForEdge_ostreeSelinuxSecureBootTpm2AllPass() {
    DevicePosture p = read("rhel-edge.fixture");

    OsIdentity os = p.os().orElseThrow();
    assertEquals("rhel", os.id());
    assertEquals(Optional.of("9.4"), os.versionId());
    assertEquals(Optional.of("Red Hat Enterprise Linux"), os.name());
    assertTrue(os.ostree());
    assertEquals(Distribution.RHEL_FOR_EDGE, os.distribution());

    RootFilesystem fs = p.rootFilesystem().orElseThrow();
    assertEquals("xfs", fs.type());
    assertFalse(fs.readOnly());
    assertEquals(Optional.of(true), fs.usrReadOnly());
    assertTrue(fs.immutable());

    assertEquals(SelinuxMode.ENFORCING, p.mac().selinux().orElseThrow());
    assertFalse(p.mac().apparmor());
    assertEquals(LockdownMode.INTEGRITY, p.mac().lockdown().orElseThrow());
    assertEquals(SecureBootState.ENABLED, p.secureBoot().state());
    assertEquals(new Tpm(true, OptionalInt.of(2), p.tpm().detail()), p.tpm());
    assertEquals(false, p.fips().orElseThrow());

    assertEquals(ContainerRuntime.NONE, p.container().runtime());
    assertEquals(Optional.of(536_870_912L), p.container().limits().memoryMax().toOptional());
    assertEquals(Optional.of(4915L), p.container().limits().pidsMax().toOptional());
    Limit<Double> cpu = p.container().limits().cpuCores();
    assertTrue(cpu instanceof Limit.Unlimited<Double> u && u.source().contains("not enabled along the path"),
        "no cpu.max anywhere up to the real root: nothing limits it, " + cpu);

    for (String id : List.of("rootfs.read-only", "mac.enforcing", "secure-boot", "tpm", "kernel.lockdown",
        "process.non-root")) {
      assertEquals(FindingStatus.PASS, status(p, id), id + ": " + p.finding(id));
    }
    assertTrue(detail(p, "rootfs.read-only").contains("ostree"), detail(p, "rootfs.read-only"));
  }

  @Test
  void read_minimalYocto_readOnlySquashfsNoMacNoEfi() {
    DevicePosture p = read("yocto-minimal.fixture");

    OsIdentity os = p.os().orElseThrow();
    assertEquals("poky", os.id());
    assertEquals(Optional.of("4.0.17"), os.versionId());
    assertEquals(Distribution.YOCTO, os.distribution());
    assertEquals(PreemptionModel.PREEMPT, p.preemption().orElseThrow().model());

    RootFilesystem fs = p.rootFilesystem().orElseThrow();
    assertEquals("squashfs", fs.type());
    assertTrue(fs.readOnly());

    assertEquals(SelinuxMode.DISABLED, p.mac().selinux().orElseThrow());
    assertFalse(p.mac().apparmor());
    assertTrue(((Availability.Unavailable<List<String>>) p.mac().lsms()).reason().contains("securityfs"));
    assertFalse(p.mac().lockdown().isAvailable());
    assertEquals(SecureBootState.UNKNOWN, p.secureBoot().state());
    assertFalse(p.tpm().present());
    assertEquals(false, p.fips().orElseThrow(), "no /proc/sys/crypto: kernel without FIPS mode");

    assertEquals(ContainerRuntime.NONE, p.container().runtime());
    Limit<Long> memory = p.container().limits().memoryMax();
    assertTrue(((Limit.Unknown<Long>) memory).reason().contains("no cgroup2"), memory.toString());

    assertEquals(FindingStatus.PASS, status(p, "rootfs.read-only"));
    assertEquals(FindingStatus.FAIL, status(p, "mac.enforcing"));
    assertEquals(FindingStatus.UNKNOWN, status(p, "secure-boot"));
    assertTrue(p.finding("secure-boot").orElseThrow().remedy().contains("U-Boot"));
    assertEquals(FindingStatus.WARN, status(p, "tpm"));
    assertEquals(FindingStatus.UNKNOWN, status(p, "kernel.lockdown"));
  }

  @Test
  void read_k3sPodWithCgroupNamespace_limitsFromFilesDirectlyUnderSysFsCgroup() {
    DevicePosture p = read("k3s-pod.fixture");

    assertEquals(Distribution.ALPINE, p.os().orElseThrow().distribution());
    assertEquals(Optional.of("3.20.3"), p.os().orElseThrow().versionId());
    assertEquals(ContainerRuntime.KUBERNETES, p.container().runtime());
    assertTrue(p.container().evidence().stream()
        .anyMatch(e -> e.source().contains("KUBERNETES_SERVICE_HOST") && e.value().equals("10.43.0.1")));

    CgroupLimits limits = p.container().limits();
    assertTrue(limits.cgroup().orElseThrow().contains("cgroup namespace"), limits.cgroup().toString());
    assertEquals(Optional.of(1.5), limits.cpuCores().toOptional());
    assertEquals(Optional.of(268_435_456L), limits.memoryMax().toOptional());
    assertInstanceOf(Limit.Unlimited.class, limits.memoryHigh());
    assertInstanceOf(Limit.Unlimited.class, limits.pidsMax());
    assertEquals(CpuSet.range(0, 3), limits.cpuset().orElseThrow());

    RootFilesystem fs = p.rootFilesystem().orElseThrow();
    assertEquals("overlay", fs.type());
    assertFalse(fs.readOnly());

    assertEquals(FindingStatus.PASS, status(p, "container.memory-limit"));
    assertEquals(FindingStatus.WARN, status(p, "container.pids-limit"));
    assertEquals(FindingStatus.PASS, status(p, "container.privileged"));
    assertEquals(FindingStatus.PASS, status(p, "mac.enforcing"), detail(p, "mac.enforcing"));
    assertEquals(FindingStatus.WARN, status(p, "rootfs.read-only"));
    assertTrue(p.finding("rootfs.read-only").orElseThrow().remedy().contains("readOnlyRootFilesystem"));
    assertEquals(FindingStatus.UNKNOWN, status(p, "secure-boot"));
    assertEquals(FindingStatus.PASS, status(p, "process.non-root"));
  }

  @Test
  void read_k3sPodInHostCgroupNamespace_tightestLimitAlongThePath() {
    DevicePosture p = read("k3s-pod-host-cgroupns.fixture");

    assertEquals(ContainerRuntime.KUBERNETES, p.container().runtime(), "kubepods in /proc/self/cgroup");
    CgroupLimits limits = p.container().limits();
    assertEquals(Optional.of(1.5), limits.cpuCores().toOptional());
    Limit.Limited<Long> memory = (Limit.Limited<Long>) limits.memoryMax();
    assertEquals(201_326_592L, memory.value(), "the container's 192Mi is tighter than the pod's 256Mi");
    assertTrue(memory.source().endsWith("cri-containerd-9b1f.scope/memory.max = 201326592"), memory.source());
    assertEquals(CpuSet.range(0, 3), limits.cpuset().orElseThrow());
    assertEquals(Distribution.DEBIAN, p.os().orElseThrow().distribution());
  }

  @Test
  void read_podmanContainer_noMemoryLimitFailsAndSelinuxHidden() {
    DevicePosture p = read("podman.fixture");

    assertEquals(ContainerRuntime.PODMAN, p.container().runtime());
    assertTrue(p.container().evidence().stream()
        .anyMatch(e -> e.source().equals("/run/.containerenv") && e.value().contains("rootless=1")));
    assertEquals(Distribution.FEDORA, p.os().orElseThrow().distribution());
    assertEquals(Optional.of("container"), p.os().orElseThrow().variantId());

    CgroupLimits limits = p.container().limits();
    assertInstanceOf(Limit.Unlimited.class, limits.cpuCores());
    assertInstanceOf(Limit.Unlimited.class, limits.memoryMax());
    assertEquals(Optional.of(2048L), limits.pidsMax().toOptional());
    assertFalse(limits.cpuset().isAvailable());

    assertEquals(FindingStatus.FAIL, status(p, "container.memory-limit"));
    assertTrue(p.finding("container.memory-limit").orElseThrow().remedy().contains("--memory"));
    assertEquals(FindingStatus.PASS, status(p, "container.pids-limit"));
    assertEquals(FindingStatus.PASS, status(p, "container.privileged"));
    assertEquals(FindingStatus.UNKNOWN, status(p, "mac.enforcing"));
    assertTrue(detail(p, "mac.enforcing").contains("container_t"), detail(p, "mac.enforcing"));
    assertEquals(SecureBootState.UNKNOWN, p.secureBoot().state(), "/sys/firmware is masked");
    assertEquals(OptionalInt.of(2), p.tpm().version());
  }

  @Test
  void read_dockerContainerOnCgroupV1Host_limitsFromTheV1FilesAtEachMountPoint() {
    DevicePosture p = read("docker-v1.fixture");

    assertEquals(ContainerRuntime.DOCKER, p.container().runtime());
    CgroupLimits limits = p.container().limits();
    String id = "/docker/5c1f0b7e9a3d42c8b6e1f0a9d7c3b2e4a1f8d6c5b4a3e2d1c0b9a8f7e6d5c4b3";
    String where = limits.cgroup().orElseThrow();
    assertTrue(where.startsWith("cgroup v1: cpu " + id + " at /sys/fs/cgroup/cpu,cpuacct"), where);
    assertTrue(where.contains("memory " + id + " at /sys/fs/cgroup/memory"), where);
    assertTrue(where.contains("pids " + id + " at /sys/fs/cgroup/pids"), where);
    assertTrue(where.contains("cpuset " + id + " at /sys/fs/cgroup/cpuset"), where);

    Limit.Limited<Double> cpu = (Limit.Limited<Double>) limits.cpuCores();
    assertEquals(1.5, cpu.value());
    assertEquals("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us = 150000,"
        + " /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us = 100000", cpu.source());
    Limit.Limited<Long> memory = (Limit.Limited<Long>) limits.memoryMax();
    assertEquals(268_435_456L, memory.value());
    assertEquals("/sys/fs/cgroup/memory/memory.limit_in_bytes = 268435456", memory.source());
    assertTrue(limits.memoryHigh() instanceof Limit.Unlimited<Long> u && u.source().contains("no memory.high"),
        limits.memoryHigh().toString());
    assertEquals(Optional.of(100L), limits.pidsMax().toOptional());
    assertEquals(CpuSet.range(0, 1), limits.cpuset().orElseThrow());

    assertEquals(FindingStatus.PASS, status(p, "container.memory-limit"));
    assertEquals(FindingStatus.PASS, status(p, "container.pids-limit"));
    assertEquals(FindingStatus.PASS, status(p, "process.non-root"));
  }

  @Test
  void read_jetpack5HostInSystemdSliceOnCgroupV1_parentSliceLimitsWin() {
    DevicePosture p = read("jetpack5-host.fixture");

    assertEquals(ContainerRuntime.NONE, p.container().runtime());
    CgroupLimits limits = p.container().limits();
    String where = limits.cgroup().orElseThrow();
    assertTrue(where.contains("memory /edge.slice/edge-agent.service at"
        + " /sys/fs/cgroup/memory/edge.slice/edge-agent.service"), where);
    assertTrue(where.contains("cpuset / at /sys/fs/cgroup/cpuset (the root cgroup)"), where);

    Limit.Limited<Long> memory = (Limit.Limited<Long>) limits.memoryMax();
    assertEquals(1_073_741_824L, memory.value(), "the slice's 1G is tighter than the service's 1536M");
    assertEquals("/sys/fs/cgroup/memory/edge.slice/memory.limit_in_bytes = 1073741824", memory.source());
    Limit.Limited<Double> cpu = (Limit.Limited<Double>) limits.cpuCores();
    assertEquals(2.0, cpu.value(), "the service has no quota (-1), the slice 200%");
    assertTrue(cpu.source().startsWith("/sys/fs/cgroup/cpu,cpuacct/edge.slice/cpu.cfs_quota_us = 200000"),
        cpu.source());
    Limit.Limited<Long> pids = (Limit.Limited<Long>) limits.pidsMax();
    assertEquals(512L, pids.value());
    assertEquals("/sys/fs/cgroup/pids/edge.slice/pids.max = 512", pids.source());
    assertInstanceOf(Limit.Unlimited.class, limits.memoryHigh());
    assertEquals(CpuSet.range(0, 7), limits.cpuset().orElseThrow());
    assertTrue(p.finding("container.memory-limit").isEmpty(), "container checks only in containers");
  }

  @Test
  void read_plainVmLikeThisMachine_staleDockerenvDiscountedAndHybridCgroupsReadFromV1() {
    DevicePosture p = read("plain-vm.fixture");

    OsIdentity os = p.os().orElseThrow();
    assertEquals("debian", os.id());
    assertEquals(Optional.of("12"), os.versionId());
    assertEquals(Optional.of("Debian GNU/Linux"), os.name());
    assertEquals(Distribution.DEBIAN, os.distribution());
    assertEquals("6.18.44-fc-v782", p.kernelRelease().orElseThrow());
    assertEquals(PreemptionModel.PREEMPT_DYNAMIC, p.preemption().orElseThrow().model());

    RootFilesystem fs = p.rootFilesystem().orElseThrow();
    assertEquals("ext4", fs.type());
    assertEquals("/dev/vda", fs.source());
    assertFalse(fs.readOnly());

    assertEquals(ContainerRuntime.NONE, p.container().runtime());
    assertTrue(p.container().evidence().stream().anyMatch(e -> e.value().contains("leftover")),
        p.container().evidence().toString());
    CgroupLimits limits = p.container().limits();
    String where = limits.cgroup().orElseThrow();
    assertTrue(where.startsWith("/ at /sys/fs/cgroup/unified (the root cgroup); cgroup v1: cpu / at"
        + " /sys/fs/cgroup/cpu (the root cgroup), memory / at /sys/fs/cgroup/memory (the root cgroup)"), where);
    Limit<Long> memory = limits.memoryMax();
    assertTrue(memory instanceof Limit.Unlimited<Long> u
        && u.source().contains("/sys/fs/cgroup/memory/memory.limit_in_bytes = 9223372036854771712")
        && u.source().contains("0x7FFFFFFFFF000000"), memory.toString());
    assertTrue(limits.cpuCores() instanceof Limit.Unlimited<Double> u
        && u.source().equals("/sys/fs/cgroup/cpu/cpu.cfs_quota_us = -1"), limits.cpuCores().toString());
    assertTrue(limits.pidsMax() instanceof Limit.Unlimited<Long> u && u.source().contains("root cgroup"),
        limits.pidsMax().toString());
    assertInstanceOf(Limit.Unlimited.class, limits.memoryHigh());
    assertEquals(CpuSet.range(0, 1), limits.cpuset().orElseThrow());

    assertEquals(SelinuxMode.DISABLED, p.mac().selinux().orElseThrow());
    assertFalse(p.mac().apparmor());
    assertFalse(p.mac().lsms().isAvailable());
    assertFalse(p.mac().lockdown().isAvailable());
    assertEquals(SecureBootState.UNKNOWN, p.secureBoot().state());
    assertFalse(p.tpm().present());
    assertEquals(false, p.fips().orElseThrow());
    ProcessPrivileges priv = p.privileges().orElseThrow();
    assertEquals(0, priv.uid());
    assertFalse(priv.allCapabilities(), "CAP_SYS_RESOURCE is missing from 000001fffeffffff");

    assertEquals(FindingStatus.WARN, status(p, "rootfs.read-only"));
    assertEquals(FindingStatus.FAIL, status(p, "mac.enforcing"));
    assertEquals(FindingStatus.UNKNOWN, status(p, "secure-boot"));
    assertEquals(FindingStatus.WARN, status(p, "tpm"));
    assertEquals(FindingStatus.UNKNOWN, status(p, "kernel.lockdown"));
    assertEquals(FindingStatus.WARN, status(p, "process.non-root"));
    assertEquals(6, p.findings().size(), p.findings().toString());
  }

  @Test
  void read_everyFixture_everyFindingHasEvidenceAndOneLineRemedy() {
    for (String fixture : List.of("ubuntu-core-rpi4.fixture", "rhel-edge.fixture", "yocto-minimal.fixture",
        "k3s-pod.fixture", "k3s-pod-host-cgroupns.fixture", "podman.fixture", "plain-vm.fixture",
        "docker-v1.fixture", "jetpack5-host.fixture")) {
      DevicePosture p = DevicePosture.read(FixtureTree.materialise(fixture, dir.resolve(fixture)), Map.of());
      for (Finding f : p.findings()) {
        assertFalse(f.detail().isBlank(), fixture + " " + f);
        assertFalse(f.remedy().contains("\n"), fixture + " " + f);
      }
    }
  }
}
