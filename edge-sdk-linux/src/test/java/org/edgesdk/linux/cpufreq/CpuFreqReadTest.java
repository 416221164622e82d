package org.edgesdk.linux.cpufreq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.FixtureTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class CpuFreqReadTest {

  @TempDir Path dir;

  static final List<String> ALL = FixtureTrees.ALL;

  private CpuFreqInfo read(String fixture) {
    return CpuFreq.of(HostRoot.of(FixtureTrees.materialise(fixture, dir))).read();
  }

  private static String reason(Availability<?> value) {
    return ((Availability.Unavailable<?>) value).reason();
  }

  @ParameterizedTest
  @FieldSource("ALL")
  void fixture_everyTree_carriesANoteNamingItsSource(String fixture) {
    String note = FixtureTrees.note(fixture);
    assertTrue(note.contains("Source:"), fixture + ": " + note);
    assertTrue(note.contains("kernel"), fixture + ": " + note);
  }

  @ParameterizedTest
  @FieldSource("ALL")
  void read_everyFixture_readsWithoutErrorAndLinksEveryCpuToItsPolicy(String fixture) throws IOException {
    CpuFreqInfo info = read(fixture);
    for (Policy p : info.policies().toOptional().orElse(List.of())) {
      assertTrue(p.relatedCpus().containsAll(p.cpus()), p.toString());
      assertTrue(p.cpuinfoMinKHz() <= p.minKHz() && p.minKHz() <= p.maxKHz()
          && p.maxKHz() <= p.cpuinfoMaxKHz(), p.toString());
      for (int cpu : p.relatedCpus().toArray()) {
        Path link = dir.resolve("sys/devices/system/cpu/cpu" + cpu + "/cpufreq");
        assertTrue(Files.isSymbolicLink(link), link + " must be a symlink as in real sysfs");
        assertEquals(Path.of("../cpufreq/" + p.name()), Files.readSymbolicLink(link));
        assertEquals(Optional.of(p), info.policyOfCpu(cpu));
      }
    }
  }

  @Test
  void read_raspberryPi4_onePolicyWithEveryAttribute() {
    CpuFreqInfo info = read("rpi4");
    assertTrue(info.isSupported());
    List<Policy> policies = info.policies().orElseThrow();
    assertEquals(1, policies.size());
    Policy p = policies.get(0);
    assertEquals(0, p.id());
    assertEquals("policy0", p.name());
    assertEquals(CpuSet.range(0, 3), p.cpus());
    assertEquals(CpuSet.range(0, 3), p.relatedCpus());
    assertEquals("cpufreq-dt", p.driver());
    assertEquals("ondemand", p.governor());
    assertEquals(List.of("conservative", "ondemand", "userspace", "powersave", "performance", "schedutil"),
        p.availableGovernors());
    assertEquals(600_000, p.cpuinfoMinKHz());
    assertEquals(1_500_000, p.cpuinfoMaxKHz());
    assertEquals(600_000, p.minKHz());
    assertEquals(1_500_000, p.maxKHz());
    assertEquals(600_000, p.curKHz().orElseThrow());
    assertEquals(600_000, p.hardwareCurKHz().orElseThrow());
    assertEquals(List.of(600_000, 700_000, 800_000, 900_000, 1_000_000, 1_100_000, 1_200_000, 1_300_000,
        1_400_000, 1_500_000), p.availableFrequenciesKHz().orElseThrow());
    assertEquals(355_000L, p.transitionLatencyNs().orElseThrow());
    assertTrue(reason(p.boost()).contains("cpufreq-dt offers no boost control"), reason(p.boost()));
    assertTrue(reason(p.energyPerformancePreference()).contains("cpufreq-dt has no energy_performance_preference"));
    assertFalse(p.availableEnergyPerformancePreferences().isAvailable());
    assertTrue(reason(p.setspeedKHz()).contains("only under the userspace governor (current governor: ondemand)"));
    TimeInState stats = p.stats().orElseThrow();
    assertEquals(Duration.ofMillis(8_123_450), stats.timeInState().get(600_000));
    assertEquals(List.of(600_000, 700_000, 800_000, 900_000, 1_000_000, 1_100_000, 1_200_000, 1_300_000,
        1_400_000, 1_500_000), List.copyOf(stats.timeInState().keySet()));
    assertEquals(OptionalLong.of(370), stats.totalTransitions());
    assertFalse(p.biosLimitKHz().isAvailable());
    assertFalse(p.cpuCapacity().isAvailable());
    assertFalse(info.globalBoost().isAvailable());
    assertEquals(Optional.empty(), info.driverStatus());
    assertEquals(List.of(), info.offlinePolicies());
  }

  @Test
  void read_raspberryPi5_listsFrequenciesDownTo1GHzThatTheFirmwareDoesNotHonour() {
    Policy p = read("rpi5").policies().orElseThrow().get(0);
    List<Integer> frequencies = p.availableFrequenciesKHz().orElseThrow();
    assertEquals(15, frequencies.size());
    assertEquals(1_000_000, frequencies.get(0));
    assertEquals(2_400_000, frequencies.get(14));
    assertEquals(1_500_000, p.hardwareCurKHz().orElseThrow());
  }

  @Test
  void read_jetsonOrin_onePolicyPerCluster() {
    CpuFreqInfo info = read("jetson-orin");
    List<Policy> policies = info.policies().orElseThrow();
    assertEquals(List.of(0, 4, 8), policies.stream().map(Policy::id).toList());
    assertEquals(CpuSet.range(8, 11), policies.get(2).cpus());
    assertEquals("tegra194", policies.get(1).driver());
    assertEquals(8, info.policyOfCpu(9).orElseThrow().id());
    assertEquals(2_201_600, policies.get(0).cpuinfoMaxKHz());
    assertEquals(List.of("userspace", "ondemand", "performance", "schedutil"), policies.get(0).availableGovernors());
  }

  @Test
  void read_rk3588_bigLittleClustersWithCapacities() {
    List<Policy> policies = read("rk3588").policies().orElseThrow();
    assertEquals(List.of(0, 4, 6), policies.stream().map(Policy::id).toList());
    assertEquals(CpuSet.parse("4-5"), policies.get(1).cpus());
    assertEquals(530, policies.get(0).cpuCapacity().orElseThrow());
    assertEquals(1024, policies.get(2).cpuCapacity().orElseThrow());
    assertEquals(1_800_000, policies.get(0).cpuinfoMaxKHz());
    assertEquals(2_400_000, policies.get(1).cpuinfoMaxKHz());
  }

  @Test
  void read_intelPstateActive_eppNoFrequencyListTurboFromNoTurbo() {
    CpuFreqInfo info = read("intel-pstate-active");
    List<Policy> policies = info.policies().orElseThrow();
    assertEquals(4, policies.size());
    Policy p = policies.get(0);
    assertEquals("intel_pstate", p.driver());
    assertEquals(List.of("performance", "powersave"), p.availableGovernors());
    assertTrue(reason(p.availableFrequenciesKHz()).contains("hardware picks any frequency"));
    assertEquals("balance_performance", p.energyPerformancePreference().orElseThrow());
    assertEquals(List.of("default", "performance", "balance_performance", "balance_power", "power"),
        p.availableEnergyPerformancePreferences().orElseThrow());
    assertEquals(new Boost(true, Boost.Control.INTEL_NO_TURBO), p.boost().orElseThrow());
    assertTrue(reason(p.hardwareCurKHz()).contains("no cpuinfo_cur_freq"));
    assertFalse(p.stats().isAvailable());
    assertEquals(0L, p.transitionLatencyNs().orElseThrow());
    DriverStatus status = info.driverStatus().orElseThrow();
    assertEquals("intel_pstate", status.driver());
    assertEquals("active", status.status());
    assertEquals(Optional.of(false), status.noTurbo());
    assertEquals(OptionalInt.of(9), status.minPerfPct());
    assertEquals(OptionalInt.of(100), status.maxPerfPct());
  }

  @Test
  void read_intelCpufreqPassive_genericGovernorsNoEpp() {
    CpuFreqInfo info = read("intel-cpufreq-passive");
    Policy p = info.policies().orElseThrow().get(3);
    assertEquals(3, p.id());
    assertEquals("intel_cpufreq", p.driver());
    assertEquals("schedutil", p.governor());
    assertTrue(p.availableGovernors().contains("userspace"));
    assertTrue(reason(p.energyPerformancePreference()).contains("intel_pstate in active mode"));
    assertEquals(20_000L, p.transitionLatencyNs().orElseThrow());
    assertEquals("passive", info.driverStatus().orElseThrow().status());
  }

  @Test
  void read_acpiCpufreq_boostGlobalAndAmdCpbBiosLimitDescendingTable() {
    CpuFreqInfo info = read("acpi-cpufreq-boost");
    Policy p = info.policies().orElseThrow().get(0);
    assertEquals("acpi-cpufreq", p.driver());
    assertEquals(List.of(2_000_000, 1_700_000, 1_600_000), p.availableFrequenciesKHz().orElseThrow());
    assertEquals(new Boost(true, Boost.Control.AMD_CPB), p.boost().orElseThrow());
    assertEquals(true, info.globalBoost().orElseThrow());
    assertEquals(2_000_000, p.biosLimitKHz().orElseThrow());
    assertEquals(Duration.ofMillis(302_110), p.stats().orElseThrow().timeInState().get(2_000_000));
  }

  @Test
  void read_acpiCpufreqWithoutCpb_usesTheGlobalBoostSwitch() throws IOException {
    read("acpi-cpufreq-boost");
    Files.delete(dir.resolve("sys/devices/system/cpu/cpufreq/policy1/cpb"));
    Files.writeString(dir.resolve("sys/devices/system/cpu/cpufreq/boost"), "0\n");
    Policy p = CpuFreq.of(HostRoot.of(dir)).policy(1);
    assertEquals(new Boost(false, Boost.Control.GLOBAL), p.boost().orElseThrow());
  }

  @Test
  void read_amdPstateEpp_perPolicyBoostAndDriverStatus() {
    CpuFreqInfo info = read("amd-pstate-epp");
    Policy p = info.policies().orElseThrow().get(2);
    assertEquals("amd-pstate-epp", p.driver());
    assertEquals(new Boost(true, Boost.Control.POLICY), p.boost().orElseThrow());
    assertEquals("balance_performance", p.energyPerformancePreference().orElseThrow());
    DriverStatus status = info.driverStatus().orElseThrow();
    assertEquals("amd_pstate", status.driver());
    assertEquals("active", status.status());
    assertEquals(Optional.empty(), status.noTurbo());
  }

  @Test
  void read_virtualMachineWithEmptyCpufreq_isNotSupportedWithReason() {
    CpuFreqInfo info = read("vm-no-cpufreq");
    assertFalse(info.isSupported());
    String reason = reason(info.policies());
    assertTrue(reason.startsWith("not supported here: /sys/devices/system/cpu/cpufreq is empty"), reason);
    assertTrue(reason.contains("virtual machines"), reason);
    assertEquals(Optional.empty(), info.policy(0));
  }

  @Test
  void read_rootWithoutCpufreqDirectory_isNotSupportedWithReason() {
    CpuFreqInfo info = CpuFreq.of(HostRoot.of(dir)).read();
    String reason = reason(info.policies());
    assertTrue(reason.contains("/sys/devices/system/cpu/cpufreq does not exist"), reason);
  }

  @Test
  void policy_onMachineWithoutCpufreq_isUnsupportedError() {
    read("vm-no-cpufreq");
    EdgeException e = assertThrows(EdgeException.class, () -> CpuFreq.of(HostRoot.of(dir)).policy(0));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.problem().contains("not supported here"), e.problem());
  }

  @Test
  void policy_unknownId_isNotFoundListingTheExistingOnes() {
    read("rk3588");
    EdgeException e = assertThrows(EdgeException.class, () -> CpuFreq.of(HostRoot.of(dir)).policy(2));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.remedy().contains("0, 4, 6"), e.remedy());
  }

  @Test
  void read_boardWithOfflineCpu_affectedExcludesItRelatedIncludesIt() {
    CpuFreqInfo info = read("offline-cpu");
    Policy big = info.policy(4).orElseThrow();
    assertEquals(CpuSet.of(4), big.cpus());
    assertEquals(CpuSet.parse("4-5"), big.relatedCpus());
    assertEquals(big, info.policyOfCpu(5).orElseThrow());
    assertEquals(485, info.policy(0).orElseThrow().cpuCapacity().orElseThrow());
  }

  @Test
  void read_policyWithAllCpusOffline_isListedAsOfflineWithItsLinkedCpus() throws IOException {
    read("offline-cpu");
    // With CPU 4 offline too the kernel keeps policy4 but empties affected_cpus (reads answer EBUSY).
    Files.writeString(dir.resolve("sys/devices/system/cpu/cpufreq/policy4/affected_cpus"), "\n");
    CpuFreq cpufreq = CpuFreq.of(HostRoot.of(dir));
    CpuFreqInfo info = cpufreq.read();
    assertEquals(List.of(0), info.policies().orElseThrow().stream().map(Policy::id).toList());
    assertEquals(List.of(new CpuFreqInfo.OfflinePolicy(4, CpuSet.parse("4-5"))), info.offlinePolicies());
    EdgeException e = assertThrows(EdgeException.class, () -> cpufreq.policy(4));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.remedy().contains("echo 1 > /sys/devices/system/cpu/cpu4/online"), e.remedy());
  }

  @Test
  void read_cpuListsInRangeSyntax_areParsedLikeSpaceSeparatedOnes() throws IOException {
    read("jetson-orin");
    Files.writeString(dir.resolve("sys/devices/system/cpu/cpufreq/policy4/related_cpus"), "4-7\n");
    Files.writeString(dir.resolve("sys/devices/system/cpu/cpufreq/policy4/affected_cpus"), "4-5,7\n");
    Policy p = CpuFreq.of(HostRoot.of(dir)).policy(4);
    assertEquals(CpuSet.of(4, 5, 7), p.cpus());
    assertEquals(CpuSet.range(4, 7), p.relatedCpus());
  }

  @Test
  void read_userspaceGovernor_setspeedIsAvailable() throws IOException {
    read("rpi4");
    Path policy = dir.resolve("sys/devices/system/cpu/cpufreq/policy0");
    Files.writeString(policy.resolve("scaling_governor"), "userspace\n");
    Files.writeString(policy.resolve("scaling_setspeed"), "900000\n");
    assertEquals(900_000, CpuFreq.of(HostRoot.of(dir)).policy(0).setspeedKHz().orElseThrow());
  }

  @Test
  void read_eternalTransitionLatency_isUnavailableNotAGuess() throws IOException {
    read("rpi4");
    Files.writeString(dir.resolve("sys/devices/system/cpu/cpufreq/policy0/cpuinfo_transition_latency"),
        "4294967295\n");
    Policy p = CpuFreq.of(HostRoot.of(dir)).policy(0);
    assertTrue(reason(p.transitionLatencyNs()).contains("CPUFREQ_ETERNAL"));
  }

  @Test
  void read_garbageFrequency_isCorruptDataNamingFileAndValue() throws IOException {
    read("rpi4");
    Files.writeString(dir.resolve("sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq"), "fast\n");
    EdgeException e = assertThrows(EdgeException.class, () -> CpuFreq.of(HostRoot.of(dir)).read());
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().contains("scaling_max_freq holds 'fast'"), e.problem());
  }

  @Test
  void read_missingRequiredAttribute_isCorruptDataNamingTheFile() throws IOException {
    read("rpi4");
    Files.delete(dir.resolve("sys/devices/system/cpu/cpufreq/policy0/scaling_driver"));
    EdgeException e = assertThrows(EdgeException.class, () -> CpuFreq.of(HostRoot.of(dir)).read());
    assertTrue(e.problem().contains("policy0/scaling_driver is missing"), e.problem());
  }

  @Test
  void read_twoRootsInOneProcess_eachInstanceReadsItsOwnTree(@TempDir Path other) {
    CpuFreq pi = CpuFreq.of(HostRoot.of(FixtureTrees.materialise("rpi4", dir)));
    CpuFreq vm = CpuFreq.of(HostRoot.of(FixtureTrees.materialise("vm-no-cpufreq", other)));
    assertTrue(pi.read().isSupported());
    assertFalse(vm.read().isSupported());
    assertEquals("cpufreq-dt", pi.policy(0).driver());
    assertEquals(HostRoot.of(other), vm.root());
  }

  @Test
  void read_cpuinfoCurFreqRootOnly_isUnavailableWithTheReasonNotAnError() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")),
        "needs a non-root user: root reads cpuinfo_cur_freq whatever its mode");
    read("rpi4");
    Files.setPosixFilePermissions(dir.resolve("sys/devices/system/cpu/cpufreq/policy0/cpuinfo_cur_freq"),
        PosixFilePermissions.fromString("r--------"));
    Policy p = CpuFreq.of(HostRoot.of(dir)).policy(0);
    assertTrue(reason(p.hardwareCurKHz()).contains("readable by root only (mode 0400)"));
  }

  @Test
  void read_garbageStatistics_isCorruptDataNamingTheFile() throws IOException {
    read("rpi4");
    Files.writeString(dir.resolve("sys/devices/system/cpu/cpufreq/policy0/stats/total_trans"), "many\n");
    EdgeException e = assertThrows(EdgeException.class, () -> CpuFreq.of(HostRoot.of(dir)).read());
    assertTrue(e.problem().contains("total_trans holds 'many'"), e.problem());
  }

  @Test
  void read_liveSystem_returnsPoliciesOrTheReasonWithoutThrowing() {
    CpuFreqInfo info = CpuFreq.of(HostRoot.system()).read();
    if (info.isSupported()) {
      assertFalse(info.policies().orElseThrow().isEmpty());
    } else {
      assertTrue(reason(info.policies()).startsWith("not supported here") || !info.offlinePolicies().isEmpty(),
          reason(info.policies()));
    }
    org.edgesdk.linux.thermal.Thermal.of(HostRoot.system()).read(); // no exception on this machine either
  }
}
