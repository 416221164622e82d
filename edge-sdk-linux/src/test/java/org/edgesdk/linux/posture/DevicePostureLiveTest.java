package org.edgesdk.linux.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * The posture of the machine running the tests, checked against what the JDK and the kernel tell
 * independently of the reader: the file store of {@code /}, the owner of {@code /proc/self}, the
 * JVM's own container awareness (available processors, default heap).
 */
class DevicePostureLiveTest {

  private final DevicePosture live = DevicePosture.read(HostRoot.system(), System.getenv());

  @Test
  void read_liveSystem_kernelAndOsAsTheJdkSeesThem() {
    assertEquals(System.getProperty("os.version"), live.kernelRelease().orElseThrow());
    if (Files.isReadable(Path.of("/etc/os-release")) || Files.isReadable(Path.of("/usr/lib/os-release"))) {
      assertTrue(live.os().isAvailable(), live.os().toString());
    }
    assertTrue(live.preemption().isAvailable(), live.preemption().toString());
  }

  @Test
  void read_liveSystem_rootFilesystemMatchesTheFileStore() throws IOException {
    FileStore store = Files.getFileStore(Path.of("/"));
    RootFilesystem fs = live.rootFilesystem().orElseThrow();
    assertEquals(store.type(), fs.type());
    assertEquals(store.isReadOnly(), fs.readOnly());
  }

  @Test
  void read_liveSystem_uidIsTheOwnerOfProcSelf() throws IOException {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assertEquals(uid, live.privileges().orElseThrow().uid());
    assertEquals(uid == 0 ? FindingStatus.WARN : FindingStatus.PASS,
        live.finding("process.non-root").orElseThrow().status());
  }

  @Test
  void read_liveSystem_firmwareFactsFollowTheFiles() {
    if (!Files.exists(Path.of(SecureBoot.EFIVAR))) {
      assertEquals(SecureBootState.UNKNOWN, live.secureBoot().state(), "absent variable is never 'disabled'");
    }
    if (!Files.exists(Path.of("/sys/fs/selinux/enforce"))) {
      assertEquals(SelinuxMode.DISABLED, live.mac().selinux().orElseThrow());
    }
    boolean tpm = Files.exists(Path.of("/sys/class/tpm/tpm0")) || Files.exists(Path.of("/dev/tpm0"))
        || Files.exists(Path.of("/dev/tpmrm0"));
    assertEquals(tpm, live.tpm().present());
    if (!Files.exists(Path.of("/proc/sys/crypto/fips_enabled"))) {
      assertEquals(false, live.fips().orElseThrow());
    }
    if (Files.isReadable(Path.of("/sys/kernel/security/lockdown"))) {
      assertTrue(live.mac().lockdown().isAvailable());
    } else if (!Files.exists(Path.of("/sys/kernel/security/lsm"))) {
      assertFalse(live.mac().lsms().isAvailable());
    }
  }

  @Test
  void read_liveSystem_limitsAgreeWithTheJvmsContainerSupport() {
    CgroupLimits limits = live.container().limits();
    limits.cpuCores().toOptional().ifPresent(cores ->
        assertTrue(Runtime.getRuntime().availableProcessors() <= Math.max(1, Math.ceil(cores)),
            "the JVM sizes itself to the CPU quota " + cores));
    limits.memoryMax().toOptional().ifPresent(max ->
        assertTrue(Runtime.getRuntime().maxMemory() <= max, "the heap fits in memory.max " + max));
    limits.cpuset().toOptional().ifPresent(cpus -> {
      CpuSet online = HostInfo.read(HostRoot.system()).onlineCpus().orElseThrow();
      assertTrue(online.containsAll(cpus), cpus + " within online " + online);
      assertTrue(Runtime.getRuntime().availableProcessors() <= cpus.size());
    });
    v1MemoryLimitFile().ifPresent(file -> {
      assertTrue(limits.cgroup().orElseThrow().contains("cgroup v1: "), limits.cgroup().toString());
      assertFalse(limits.memoryMax() instanceof Limit.Unknown<Long>,
          "memory is a cgroup v1 controller here and " + file + " is readable: " + limits.memoryMax());
      try {
        long own = Long.parseLong(Files.readString(file).strip());
        if (own < 0x7FFFFFFFFF000000L) {
          assertTrue(limits.memoryMax().toOptional().orElseThrow() <= own,
              "the tightest limit is at most the process's own " + file + " = " + own);
        }
      } catch (IOException | NumberFormatException e) {
        // the reader must then say why; asserted above that it read something
      }
    });
    if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
      assertEquals(ContainerRuntime.KUBERNETES, live.container().runtime());
    }
    if (live.container().inContainer()) {
      assertFalse(live.container().evidence().isEmpty());
      assertTrue(live.finding("container.memory-limit").isPresent());
    }
  }

  /**
   * Finds the process's own {@code memory.limit_in_bytes} independently of the reader, when memory is
   * a cgroup v1 controller here: the {@code /proc/self/cgroup} line naming memory, mapped below the
   * root of the mountinfo {@code cgroup} mount whose options name memory.
   */
  private static Optional<Path> v1MemoryLimitFile() {
    try {
      Optional<String> cgroup = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
          .map(l -> l.split(":", 3)).filter(f -> f.length == 3 && List.of(f[1].split(",")).contains("memory"))
          .map(f -> f[2]).findFirst();
      Optional<String[]> mount = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(l -> l.split(" ")).filter(f -> f.length > 3 && List.of(f).contains("-"))
          .filter(f -> {
            List<String> fields = List.of(f);
            int dash = fields.indexOf("-");
            return dash + 3 < f.length && f[dash + 1].equals("cgroup")
                && List.of(f[dash + 3].split(",")).contains("memory");
          }).findFirst();
      if (cgroup.isEmpty() || mount.isEmpty()) {
        return Optional.empty();
      }
      String root = mount.get()[3];
      String point = mount.get()[4];
      String path = cgroup.get();
      String dir = root.equals("/") ? point + path : path.equals(root) ? point
          : path.startsWith(root + "/") ? point + path.substring(root.length()) : null;
      if (dir == null) {
        return Optional.empty();
      }
      Path file = Path.of(dir, "memory.limit_in_bytes");
      return Files.isReadable(file) ? Optional.of(file) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Test
  void read_liveSystem_everyFindingHasDetailAndRemedy() {
    assertTrue(live.findings().size() >= 6, live.findings().toString());
    for (Finding f : live.findings()) {
      assertFalse(f.detail().isBlank());
      assertFalse(f.remedy().isBlank());
    }
  }
}
