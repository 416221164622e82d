package org.edgesdk.linux.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing, truncated and garbage files make a value unknown with the reason; the report never fails. */
class DevicePostureMalformedTest {

  @TempDir Path dir;

  private HostRoot root() {
    return HostRoot.of(dir);
  }

  private void write(String systemPath, String content) throws IOException {
    Path file = root().resolve(systemPath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private void writeBytes(String systemPath, String hex) throws IOException {
    Path file = root().resolve(systemPath);
    Files.createDirectories(file.getParent());
    Files.write(file, HexFormat.of().parseHex(hex));
  }

  private DevicePosture read() {
    return DevicePosture.read(root(), Map.of());
  }

  private void namespacedCgroup() throws IOException {
    write("/proc/self/cgroup", "0::/\n");
    write("/proc/self/mountinfo",
        "30 1 0:27 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
    write("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu memory pids\n");
    write("/sys/fs/cgroup/cgroup.events", "populated 1\nfrozen 0\n");
  }

  @Test
  void read_emptyRoot_everythingUnknownWithReasons() {
    DevicePosture p = read();
    assertTrue(((Availability.Unavailable<OsIdentity>) p.os()).reason().contains("/etc/os-release"));
    assertFalse(p.kernelRelease().isAvailable());
    assertTrue(((Availability.Unavailable<RootFilesystem>) p.rootFilesystem()).reason()
        .contains("/proc/self/mountinfo"));
    assertEquals(SecureBootState.UNKNOWN, p.secureBoot().state());
    assertFalse(p.fips().isAvailable(), "no procfs at all: FIPS unknown, not false");
    assertEquals(ContainerRuntime.NONE, p.container().runtime());
    assertTrue(p.container().limits().memoryMax() instanceof Limit.Unknown<Long> u
        && u.reason().contains("/proc/self/cgroup"), p.container().limits().toString());
    assertFalse(p.privileges().isAvailable());
    assertEquals(FindingStatus.UNKNOWN, p.finding("rootfs.read-only").orElseThrow().status());
    assertEquals(FindingStatus.UNKNOWN, p.finding("process.non-root").orElseThrow().status());
  }

  @Test
  void read_truncatedSecureBootEfivar_unknownNamingTheLength() throws IOException {
    writeBytes(SecureBoot.EFIVAR, "060000");
    SecureBoot sb = read().secureBoot();
    assertEquals(SecureBootState.UNKNOWN, sb.state());
    assertTrue(sb.detail().contains("truncated: 3 bytes, expected 5"), sb.detail());
    assertEquals(FindingStatus.UNKNOWN, read().finding("secure-boot").orElseThrow().status());
  }

  @Test
  void read_secureBootEfivar_attributesThenValue() throws IOException {
    writeBytes(SecureBoot.EFIVAR, "0600000000");
    assertEquals(SecureBootState.DISABLED, read().secureBoot().state());
    assertEquals(FindingStatus.FAIL, read().finding("secure-boot").orElseThrow().status());
    writeBytes(SecureBoot.EFIVAR, "0700000001");
    assertEquals(SecureBootState.ENABLED, read().secureBoot().state());
    writeBytes(SecureBoot.EFIVAR, "0600000002");
    assertTrue(read().secureBoot().detail().contains("value byte is 2"));
    writeBytes(SecureBoot.EFIVAR, "060000000100");
    assertEquals(SecureBootState.UNKNOWN, read().secureBoot().state());
  }

  @Test
  void read_efiWithoutSecureBootVariable_unknownNotDisabled() throws IOException {
    Files.createDirectories(root().resolve("/sys/firmware/efi/efivars"));
    SecureBoot sb = read().secureBoot();
    assertEquals(SecureBootState.UNKNOWN, sb.state());
    assertTrue(sb.detail().contains("UEFI system"), sb.detail());
  }

  @Test
  void read_garbageCpuMax_cpuUnknownWithTheContentOthersStillRead() throws IOException {
    namespacedCgroup();
    write("/sys/fs/cgroup/cpu.max", "lots 100000\n");
    write("/sys/fs/cgroup/memory.max", "536870912\n");
    CgroupLimits limits = read().container().limits();
    String reason = ((Limit.Unknown<Double>) limits.cpuCores()).reason();
    assertTrue(reason.contains("/sys/fs/cgroup/cpu.max is malformed") && reason.contains("lots"), reason);
    assertEquals(536_870_912L, limits.memoryMax().toOptional().orElseThrow());
  }

  @Test
  void read_garbageLimitFiles_eachUnknownNeverACrash() throws IOException {
    namespacedCgroup();
    write("/sys/fs/cgroup/cpu.max", "100000 0\n");
    write("/sys/fs/cgroup/memory.max", "-1\n");
    write("/sys/fs/cgroup/memory.high", "\n");
    write("/sys/fs/cgroup/pids.max", "99999999999999999999\n");
    write("/sys/fs/cgroup/cpuset.cpus.effective", "0-x\n");
    CgroupLimits limits = read().container().limits();
    assertTrue(limits.cpuCores() instanceof Limit.Unknown<Double>);
    assertTrue(limits.memoryMax() instanceof Limit.Unknown<Long>);
    assertTrue(limits.memoryHigh() instanceof Limit.Unknown<Long>);
    assertTrue(limits.pidsMax() instanceof Limit.Unknown<Long>);
    assertTrue(((Availability.Unavailable<CpuSet>) limits.cpuset()).reason().contains("0-x"));
  }

  @Test
  void read_missingLimitFileInNamespacedCgroup_unknownNamingTheController() throws IOException {
    namespacedCgroup();
    write("/sys/fs/cgroup/cgroup.controllers", "cpu pids\n");
    Limit<Long> memory = read().container().limits().memoryMax();
    String reason = ((Limit.Unknown<Long>) memory).reason();
    assertTrue(reason.contains("memory.max is missing") && reason.contains("cgroup.controllers: cpu pids"), reason);
  }

  @Test
  void read_hostRootCgroup_noLimitRatherThanUnknown() throws IOException {
    write("/proc/self/cgroup", "0::/\n");
    write("/proc/self/mountinfo", "30 1 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    write("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu memory pids\n");
    CgroupLimits limits = read().container().limits();
    assertTrue(limits.memoryMax() instanceof Limit.Unlimited<Long> u && u.source().contains("root cgroup"),
        limits.toString());
  }

  @Test
  void read_memoryMaxMaxVersusMissing_noLimitIsDistinctFromUnknown() throws IOException {
    namespacedCgroup();
    write("/sys/fs/cgroup/memory.max", "max\n");
    CgroupLimits limits = read().container().limits();
    assertTrue(limits.memoryMax() instanceof Limit.Unlimited<Long>);
    assertTrue(limits.memoryHigh() instanceof Limit.Unknown<Long>, "memory.high was not written");
  }

  @Test
  void read_cgroupOutsideTheMountRoot_unknown() throws IOException {
    write("/proc/self/cgroup", "0::/../../system.slice/other.service\n");
    write("/proc/self/mountinfo", "30 1 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    write("/sys/fs/cgroup/cgroup.controllers", "memory\n");
    assertTrue(read().container().limits().cgroup() instanceof Availability.Unavailable<String> u
        && u.reason().contains("outside"));
  }

  @Test
  void read_osReleaseMissingFields_idDefaultsToLinuxOthersEmpty() throws IOException {
    write("/etc/os-release", "# only a comment\nPRETTY_NAME=\"Custom Gateway OS\"\nBROKEN LINE\nVERSION_ID='unterminated\n");
    OsIdentity os = read().os().orElseThrow();
    assertEquals("linux", os.id());
    assertTrue(os.versionId().isEmpty());
    assertTrue(os.name().isEmpty());
    assertEquals(Distribution.OTHER, os.distribution());
  }

  @Test
  void read_osReleaseWithoutAnyVariable_unknown() throws IOException {
    write("/etc/os-release", "garbage\n");
    assertTrue(((Availability.Unavailable<OsIdentity>) read().os()).reason().contains("no KEY=value"));
  }

  @Test
  void read_usrLibOsReleaseFallback_used() throws IOException {
    write("/usr/lib/os-release", "ID=alpine\nVERSION_ID=3.20.3\n");
    assertEquals(Distribution.ALPINE, read().os().orElseThrow().distribution());
  }

  @Test
  void read_malformedMountinfo_rootUnknownWithTheLine() throws IOException {
    write("/proc/self/mountinfo", "this is not mountinfo\n");
    String reason = ((Availability.Unavailable<RootFilesystem>) read().rootFilesystem()).reason();
    assertTrue(reason.contains("no mount at /") && reason.contains("this is not mountinfo"), reason);
  }

  @Test
  void read_garbageSelinuxLockdownFipsAndStatus_eachUnknown() throws IOException {
    write("/sys/fs/selinux/enforce", "2\n");
    write("/sys/kernel/security/lsm", "capability,selinux");
    write("/sys/kernel/security/lockdown", "none integrity\n");
    write("/proc/sys/crypto/fips_enabled", "yes\n");
    write("/proc/self/status", "Uid:\tnobody\n");
    DevicePosture p = read();
    assertTrue(((Availability.Unavailable<SelinuxMode>) p.mac().selinux()).reason().contains("'2'"));
    assertTrue(((Availability.Unavailable<LockdownMode>) p.mac().lockdown()).reason().contains("brackets"));
    assertTrue(((Availability.Unavailable<Boolean>) p.fips()).reason().contains("'yes'"));
    assertTrue(((Availability.Unavailable<ProcessPrivileges>) p.privileges()).reason().contains("malformed"));
    assertEquals(FindingStatus.UNKNOWN, p.finding("mac.enforcing").orElseThrow().status());
    assertEquals(FindingStatus.UNKNOWN, p.finding("kernel.lockdown").orElseThrow().status());
  }

  @Test
  void read_securityfsMountedWithoutLockdownFile_lockdownNone() throws IOException {
    write("/sys/kernel/security/lsm", "capability,yama,apparmor");
    assertEquals(LockdownMode.NONE, read().mac().lockdown().orElseThrow());
  }

  @Test
  void read_tpmWithoutVersionFile_resourceManagerMeansTpm2OtherwiseUnknownVersion() throws IOException {
    write("/dev/tpm0", "");
    Tpm tpm = read().tpm();
    assertTrue(tpm.present());
    assertTrue(tpm.version().isEmpty());
    assertEquals(FindingStatus.UNKNOWN, read().finding("tpm").orElseThrow().status());
    write("/dev/tpmrm0", "");
    assertEquals(2, read().tpm().version().getAsInt());
  }

  @Test
  void read_tpm12Caps_versionOneWarns() throws IOException {
    write("/sys/class/tpm/tpm0/caps", "Manufacturer: 0x49465800\nTCG version: 1.2\n");
    assertEquals(1, read().tpm().version().getAsInt());
    assertEquals(FindingStatus.WARN, read().finding("tpm").orElseThrow().status());
  }

  @Test
  void read_unreadableFile_unknownWithPermissionReason() throws IOException {
    write("/sys/fs/selinux/enforce", "1\n");
    Path file = root().resolve("/sys/fs/selinux/enforce");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(Files.isReadable(file),
        "needs a non-root user: root reads a file whatever its mode");
    String reason = ((Availability.Unavailable<SelinuxMode>) read().mac().selinux()).reason();
    assertTrue(reason.contains("permission denied"), reason);
  }

  @Test
  void read_privilegedDockerContainer_failsPrivilegedAndMemory() throws IOException {
    write("/.dockerenv", "");
    write("/proc/self/mountinfo", "1 0 0:50 / / rw - overlay overlay rw,lowerdir=/a,upperdir=/b,workdir=/c\n"
        + "30 1 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    write("/proc/self/cgroup", "0::/\n");
    write("/sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
    write("/sys/fs/cgroup/cgroup.events", "populated 1\n");
    write("/sys/fs/cgroup/memory.max", "max\n");
    write("/sys/fs/cgroup/pids.max", "max\n");
    write("/proc/sys/kernel/cap_last_cap", "40\n");
    write("/proc/self/status", "Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n");
    DevicePosture p = read();
    assertEquals(ContainerRuntime.DOCKER, p.container().runtime(), "overlay root: the marker is real");
    assertEquals(FindingStatus.FAIL, p.finding("container.privileged").orElseThrow().status());
    assertEquals(FindingStatus.FAIL, p.finding("container.memory-limit").orElseThrow().status());
    assertEquals(FindingStatus.WARN, p.finding("container.pids-limit").orElseThrow().status());
  }

  @Test
  void read_cgroupMountEscapingTheRoot_unknownNotACrash() throws IOException {
    write("/proc/self/cgroup", "0::/\n");
    write("/proc/self/mountinfo", "30 1 0:27 / /../../etc rw - cgroup2 cgroup2 rw\n");
    String reason = ((Limit.Unknown<Long>) read().container().limits().memoryMax()).reason();
    assertTrue(reason.contains("escapes the host root"), reason);
  }

  @Test
  void read_osReleaseNotUtf8_unknownWithTheFile() throws IOException {
    writeBytes("/etc/os-release", "49443dfffe0a");
    String reason = ((Availability.Unavailable<OsIdentity>) read().os()).reason();
    assertTrue(reason.contains("os-release"), reason);
  }

  @Test
  void read_dockerCgroupPathWithoutMarkerFile_docker() throws IOException {
    write("/proc/self/cgroup", "12:memory:/docker/4f1c2a\n0::/docker/4f1c2a\n");
    DevicePosture p = read();
    assertEquals(ContainerRuntime.DOCKER, p.container().runtime());
    assertTrue(p.container().evidence().get(0).value().contains("/docker/4f1c2a"));
  }

  @Test
  void read_environmentOnly_kubernetesFromTheInjectedMap() {
    DevicePosture p = DevicePosture.read(root(), Map.of("KUBERNETES_SERVICE_HOST", "10.43.0.1"));
    assertEquals(ContainerRuntime.KUBERNETES, p.container().runtime());
    assertEquals(ContainerRuntime.NONE, read().container().runtime());
  }

  @Test
  void read_nullArguments_npe() {
    assertThrows(NullPointerException.class, () -> DevicePosture.read(root(), null));
    assertThrows(NullPointerException.class, () -> DevicePosture.read(null, Map.of()));
  }

  @Test
  void finding_blankOrMultiLine_rejected() {
    assertThrows(IllegalArgumentException.class, () -> new Finding("x", FindingStatus.PASS, " ", "r"));
    assertThrows(IllegalArgumentException.class, () -> new Finding("x", FindingStatus.PASS, "d", "a\nb"));
    assertEquals(List.of(), read().findings(FindingStatus.PASS).stream()
        .filter(f -> f.id().isBlank()).toList());
  }
}
