package org.edgesdk.linux.cpufreq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.FixtureTrees;
import org.edgesdk.linux.cpufreq.internal.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

class PolicyChangeTest {

  @TempDir Path dir;

  private final FakeKernel kernel = new FakeKernel();

  private CpuFreq on(String fixture) {
    return CpuFreq.of(HostRoot.of(FixtureTrees.materialise(fixture, dir)), kernel);
  }

  private Path policy(int id) {
    return dir.resolve("sys/devices/system/cpu/cpufreq/policy" + id);
  }

  private String attr(int id, String attribute) {
    return FakeKernel.read(policy(id), attribute);
  }

  /** Every file of the tree with its content, to prove that nothing was touched. */
  private Map<String, String> snapshot() {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(f -> {
        try {
          files.put(dir.relativize(f).toString(), Files.readString(f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private EdgeException refusedWithoutTouchingAFile(ErrorCode code, Executable change) {
    Map<String, String> before = snapshot();
    EdgeException e = assertThrows(EdgeException.class, change);
    assertEquals(code, e.code(), e.getMessage());
    assertEquals(List.of(), kernel.log(), "validation must not write");
    assertEquals(before, snapshot(), "validation must not touch a file");
    return e;
  }

  // ---- validation: nothing touched --------------------------------------------------------------

  @Test
  void apply_unknownGovernor_listsTheAvailableOnesAndTouchesNothing() {
    CpuFreq cpufreq = on("rpi4");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).maxKHz(1_200_000).governor("turbo").apply());
    assertTrue(e.problem().contains("governor 'turbo' is not available for policy0 (driver cpufreq-dt);"
        + " available: conservative ondemand userspace powersave performance schedutil"), e.problem());
    assertTrue(e.remedy().contains("choose one of: conservative, ondemand"), e.remedy());
  }

  @Test
  void apply_frequencyBelowHardwareLimit_givesTheLimitsAndTouchesNothing() {
    CpuFreq cpufreq = on("rpi4");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).minKHz(500_000).apply());
    assertTrue(e.problem().contains("scaling_min_freq 500000 kHz is outside the hardware limits"
        + " 600000..1500000 kHz"), e.problem());
    assertTrue(e.remedy().contains("between 600000 and 1500000 kHz"), e.remedy());
  }

  @Test
  void apply_frequencyAboveHardwareLimit_givesTheLimits() {
    CpuFreq cpufreq = on("intel-pstate-active");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(2).maxKHz(5_000_000).apply());
    assertTrue(e.problem().contains("policy2: scaling_max_freq 5000000 kHz is outside the hardware limits"
        + " 400000..4200000 kHz"), e.problem());
  }

  @Test
  void apply_frequencyNotInTheTable_listsTheTable() {
    CpuFreq cpufreq = on("rpi4");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).maxKHz(1_250_000).apply());
    assertTrue(e.problem().contains("1250000 kHz is not one of the frequencies cpufreq-dt offers: 600000"
        + " 700000 800000 900000 1000000 1100000 1200000 1300000 1400000 1500000"), e.problem());
  }

  @Test
  void apply_anyFrequencyBetweenLimits_isAcceptedWhereTheDriverListsNone() {
    CpuFreq cpufreq = on("intel-pstate-active");
    AppliedChange change = cpufreq.change(0).maxKHz(2_345_000).apply();
    assertTrue(change.isFullyEffective(), change.toString());
    assertEquals("2345000", attr(0, "scaling_max_freq"));
  }

  @Test
  void apply_minAboveMax_isRefused() {
    CpuFreq cpufreq = on("rpi4");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).minKHz(1_200_000).maxKHz(1_000_000).apply());
    assertTrue(e.problem().contains("scaling_min_freq 1200000 kHz would be above scaling_max_freq 1000000"),
        e.problem());
  }

  @Test
  void apply_minAboveTheCurrentMax_isRefusedNamingTheUnchangedValue() throws IOException {
    CpuFreq cpufreq = on("rpi4");
    Files.writeString(policy(0).resolve("scaling_max_freq"), "1000000\n");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).minKHz(1_200_000).apply());
    assertTrue(e.problem().contains("(the current value of the one not changed)"), e.problem());
  }

  @Test
  void apply_eppOnDriverWithoutEpp_isUnsupported() {
    CpuFreq cpufreq = on("rpi4");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.UNSUPPORTED,
        () -> cpufreq.change(0).energyPerformancePreference("power").apply());
    assertTrue(e.problem().contains("cpufreq-dt has no energy_performance_preference"), e.problem());
  }

  @Test
  void apply_unknownEpp_listsTheAvailablePreferences() {
    CpuFreq cpufreq = on("intel-pstate-active");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).energyPerformancePreference("eco").apply());
    assertTrue(e.problem().contains("available: default performance balance_performance balance_power power"),
        e.problem());
  }

  @Test
  void apply_eppOtherThanPerformanceUnderPerformanceGovernor_explainsTheEbusyRule() {
    CpuFreq cpufreq = on("intel-pstate-active");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).governor("performance").energyPerformancePreference("balance_power").apply());
    assertTrue(e.problem().contains("EPP 'balance_power' is refused under the performance governor:"
        + " intel_pstate accepts only EPP 'performance' then and the kernel answers EBUSY"), e.problem());
    assertTrue(e.remedy().contains("switch the governor to powersave"), e.remedy());
  }

  @Test
  void apply_setspeedWithoutUserspaceGovernor_isRefused() {
    CpuFreq cpufreq = on("rpi4");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).setspeedKHz(900_000).apply());
    assertTrue(e.problem().contains("scaling_setspeed works only under the userspace governor, and the"
        + " governor would be ondemand"), e.problem());
    assertTrue(e.remedy().contains("add governor userspace"), e.remedy());
  }

  @Test
  void apply_setspeedOnDriverWithoutUserspace_suggestsEqualLimits() {
    CpuFreq cpufreq = on("amd-pstate-epp");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).setspeedKHz(2_000_000).apply());
    assertTrue(e.remedy().contains("has no userspace governor"), e.remedy());
  }

  @Test
  void apply_setspeedOutsideTheLimits_isRefused() {
    CpuFreq cpufreq = on("rpi4");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.INVALID_ARGUMENT,
        () -> cpufreq.change(0).governor("userspace").maxKHz(1_000_000).setspeedKHz(1_200_000).apply());
    assertTrue(e.problem().contains("outside the scaling limits 600000..1000000 kHz"), e.problem());
  }

  @Test
  void apply_onMachineWithoutCpufreq_isUnsupportedWithTheReason() {
    CpuFreq cpufreq = on("vm-no-cpufreq");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.UNSUPPORTED,
        () -> cpufreq.change(0).governor("performance").apply());
    assertTrue(e.problem().startsWith("not supported here"), e.problem());
  }

  @Test
  void apply_unknownPolicy_isNotFound() {
    CpuFreq cpufreq = on("jetson-orin");
    EdgeException e = refusedWithoutTouchingAFile(ErrorCode.NOT_FOUND,
        () -> cpufreq.change(5).governor("performance").apply());
    assertTrue(e.remedy().contains("0, 4, 8"), e.remedy());
  }

  @Test
  void change_misuse_throwsStandardExceptionsWithTheValue() {
    CpuFreq cpufreq = on("rpi4");
    assertThrows(IllegalArgumentException.class, () -> cpufreq.change(-1));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> cpufreq.change(0).maxKHz(-5));
    assertTrue(negative.getMessage().contains("-5"));
    assertThrows(IllegalArgumentException.class, () -> cpufreq.change(0).governor("on demand"));
    assertThrows(NullPointerException.class, () -> cpufreq.change(0).governor(null));
    IllegalStateException empty = assertThrows(IllegalStateException.class, () -> cpufreq.change(0).apply());
    assertTrue(empty.getMessage().contains("nothing to change for policy0"));
    assertEquals(List.of(), kernel.log());
  }

  // ---- the kernel's write order -----------------------------------------------------------------

  @Test
  void apply_rangeAboveTheCurrentMax_writesMaxFirst() throws IOException {
    CpuFreq cpufreq = on("rk3588");
    Files.writeString(policy(0).resolve("scaling_max_freq"), "1008000\n");
    AppliedChange change = cpufreq.change(0).minKHz(1_416_000).maxKHz(1_800_000).apply();
    assertEquals(List.of("policy0/scaling_max_freq=1800000", "policy0/scaling_min_freq=1416000"), kernel.log());
    assertTrue(change.isFullyEffective(), change.toString());
  }

  @Test
  void apply_rangeBelowTheCurrentMin_writesMinFirst() throws IOException {
    CpuFreq cpufreq = on("rk3588");
    Files.writeString(policy(4).resolve("scaling_min_freq"), "1416000\n");
    AppliedChange change = cpufreq.change(4).minKHz(408_000).maxKHz(816_000).apply();
    assertEquals(List.of("policy4/scaling_min_freq=408000", "policy4/scaling_max_freq=816000"), kernel.log());
    assertEquals("816000", attr(4, "scaling_max_freq"));
    assertTrue(change.isFullyEffective(), change.toString());
  }

  @Test
  void apply_governorAndEpp_writesGovernorBeforeEpp() throws IOException {
    CpuFreq cpufreq = on("intel-pstate-active");
    Files.writeString(policy(1).resolve("scaling_governor"), "performance\n");
    Files.writeString(policy(1).resolve("energy_performance_preference"), "performance\n");
    AppliedChange change = cpufreq.change(1).energyPerformancePreference("power").governor("powersave").apply();
    assertEquals(List.of("policy1/scaling_governor=powersave", "policy1/energy_performance_preference=power"),
        kernel.log());
    assertEquals("power", attr(1, "energy_performance_preference"));
    assertEquals(List.of(
            new SettingResult("scaling_governor", "performance", "powersave", "powersave", Optional.empty()),
            new SettingResult("energy_performance_preference", "performance", "power", "power", Optional.empty())),
        change.settings());
  }

  @Test
  void apply_userspaceAndSetspeed_writesGovernorThenSetspeedAndReadsBack() {
    CpuFreq cpufreq = on("rpi4");
    AppliedChange change = cpufreq.change(0).setspeedKHz(900_000).governor("userspace").apply();
    assertEquals(List.of("policy0/scaling_governor=userspace", "policy0/scaling_setspeed=900000"), kernel.log());
    assertTrue(change.isFullyEffective(), change.toString());
    assertEquals(900_000, cpufreq.policy(0).setspeedKHz().orElseThrow());
    assertEquals(900_000, cpufreq.policy(0).curKHz().orElseThrow());
  }

  // ---- the kernel refuses a write ---------------------------------------------------------------

  @Test
  void apply_writeRefusedWithEacces_namesTheFileAndThePrivilegeAndUndoesEarlierWrites() {
    CpuFreq cpufreq = on("rpi4");
    kernel.deny("scaling_governor");
    EdgeException e = assertThrows(EdgeException.class,
        () -> cpufreq.change(0).maxKHz(1_200_000).governor("performance").apply());
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.problem().contains("cannot write 'performance' to " + policy(0).resolve("scaling_governor")
        + ": permission denied (EACCES)"), e.problem());
    assertTrue(e.problem().contains("the earlier writes (scaling_max_freq=1200000) were undone"), e.problem());
    assertTrue(e.remedy().contains("run as root (or with CAP_DAC_OVERRIDE)"), e.remedy());
    assertTrue(e.remedy().contains("udev rule or systemd-tmpfiles"), e.remedy());
    assertEquals(List.of("policy0/scaling_max_freq=1200000", "policy0/scaling_governor=performance !EACCES",
        "policy0/scaling_max_freq=1500000"), kernel.log());
    assertEquals("1500000", attr(0, "scaling_max_freq"));
    assertEquals("ondemand", attr(0, "scaling_governor"));
  }

  @Test
  void apply_firstWriteRefused_saysNothingWasWritten() {
    CpuFreq cpufreq = on("rpi4");
    kernel.deny("scaling_governor");
    EdgeException e = assertThrows(EdgeException.class, () -> cpufreq.change(0).governor("powersave").apply());
    assertTrue(e.problem().endsWith("; nothing had been written"), e.problem());
  }

  @Test
  void apply_writeRefusedWithEperm_pointsAtCapabilitiesAndSecurityModules() {
    CpuFreq cpufreq = on("rpi4");
    kernel.inject("scaling_governor", Errno.EPERM);
    EdgeException e = assertThrows(EdgeException.class, () -> cpufreq.change(0).governor("powersave").apply());
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.problem().contains("operation not permitted (EPERM)"), e.problem());
    assertTrue(e.remedy().contains("SELinux, AppArmor"), e.remedy());
  }

  @Test
  void apply_readOnlySysfs_explainsTheContainerMount() {
    CpuFreq cpufreq = on("rpi4");
    kernel.inject("scaling_governor", Errno.EROFS);
    EdgeException e = assertThrows(EdgeException.class, () -> cpufreq.change(0).governor("powersave").apply());
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.problem().contains("sysfs is mounted read-only (EROFS)"), e.problem());
    assertTrue(e.remedy().contains("containers mount /sys read-only"), e.remedy());
  }

  @Test
  void apply_eppRefusedWithEbusyAfterAnotherProcessSetPerformance_explainsTheRuleAndUndoes() {
    CpuFreq cpufreq = on("intel-pstate-active");
    // Validation passes under powersave; then a power daemon switches the governor mid-transaction.
    kernel.afterWrite("scaling_max_freq",
        () -> FakeKernel.put(policy(0), "scaling_governor", "performance"));
    EdgeException e = assertThrows(EdgeException.class,
        () -> cpufreq.change(0).maxKHz(3_000_000).energyPerformancePreference("power").apply());
    assertEquals(ErrorCode.BUSY, e.code());
    assertTrue(e.problem().contains("the kernel answered EBUSY because intel_pstate accepts only EPP"
        + " 'performance' while the governor is 'performance'"), e.problem());
    assertTrue(e.remedy().contains("set the governor to powersave first"), e.remedy());
    assertEquals("4200000", attr(0, "scaling_max_freq"), "the max write was undone");
  }

  @Test
  void apply_otherEbusy_isBusyAndRetryable() {
    CpuFreq cpufreq = on("rpi4");
    kernel.inject("scaling_max_freq", Errno.EBUSY);
    EdgeException e = assertThrows(EdgeException.class, () -> cpufreq.change(0).maxKHz(1_000_000).apply());
    assertEquals(ErrorCode.BUSY, e.code());
    assertTrue(e.code().isRetryable());
    assertTrue(e.remedy().contains("power-profiles-daemon"), e.remedy());
  }

  @Test
  void apply_governorRefusedWithEinval_listsTheAvailableGovernors() {
    CpuFreq cpufreq = on("rpi4");
    kernel.inject("scaling_governor", Errno.EINVAL);
    EdgeException e = assertThrows(EdgeException.class, () -> cpufreq.change(0).governor("schedutil").apply());
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.problem().contains("the kernel refused the value (EINVAL)"), e.problem());
    assertTrue(e.remedy().contains("conservative, ondemand, userspace"), e.remedy());
  }

  @Test
  void apply_limitRefusedWithEinval_givesTheLimits() {
    CpuFreq cpufreq = on("rpi4");
    kernel.inject("scaling_min_freq", Errno.EINVAL);
    EdgeException e = assertThrows(EdgeException.class, () -> cpufreq.change(0).minKHz(700_000).apply());
    assertTrue(e.remedy().contains("600000..1500000 kHz"), e.remedy());
  }

  @Test
  void apply_setspeedRefusedWithEinvalAfterGovernorChangedBehindUs_explains() {
    CpuFreq cpufreq = on("rpi4");
    kernel.afterWrite("scaling_governor", () -> FakeKernel.put(policy(0), "scaling_governor", "ondemand"));
    EdgeException e = assertThrows(EdgeException.class,
        () -> cpufreq.change(0).governor("userspace").setspeedKHz(800_000).apply());
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.remedy().contains("select the userspace governor first"), e.remedy());
  }

  @Test
  void apply_attributeVanished_isNotFound() throws IOException {
    CpuFreq cpufreq = on("rpi4");
    kernel.afterWrite("scaling_max_freq", () -> {
      try {
        Files.delete(policy(0).resolve("scaling_governor"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    EdgeException e = assertThrows(EdgeException.class,
        () -> cpufreq.change(0).maxKHz(1_000_000).governor("powersave").apply());
    assertEquals(ErrorCode.NOT_FOUND, e.code());
  }

  @Test
  void apply_unknownErrno_isIoError() {
    CpuFreq cpufreq = on("rpi4");
    kernel.inject("scaling_max_freq", Errno.OTHER);
    EdgeException e = assertThrows(EdgeException.class, () -> cpufreq.change(0).maxKHz(1_000_000).apply());
    assertEquals(ErrorCode.IO_ERROR, e.code());
  }

  @Test
  void apply_rollbackItselfRefused_saysWhatStillHoldsTheNewValue() {
    CpuFreq cpufreq = on("rpi4");
    kernel.afterWrite("scaling_max_freq", () -> kernel.deny("scaling_max_freq"));
    kernel.deny("scaling_governor");
    EdgeException e = assertThrows(EdgeException.class,
        () -> cpufreq.change(0).maxKHz(1_200_000).governor("performance").apply());
    assertTrue(e.problem().contains("could not all be undone: scaling_max_freq (EACCES) still hold the new value"),
        e.problem());
  }

  // ---- accepted but not effective ---------------------------------------------------------------

  @Test
  void apply_amdPstateEppLimits_acceptedButIgnored_reportedWithTheDriverRule() {
    CpuFreq cpufreq = on("amd-pstate-epp");
    AppliedChange change = cpufreq.change(0).maxKHz(3_000_000).apply();
    assertEquals(List.of("policy0/scaling_max_freq=3000000"), kernel.log());
    SettingResult max = change.settings().get(0);
    assertEquals("3000000", max.requested());
    assertEquals("5137000", max.effective());
    assertFalse(max.isEffective());
    assertTrue(max.note().orElseThrow().contains("amd-pstate-epp in active mode accepts scaling_min/max_freq"
        + " writes but ignores them"), max.note().orElseThrow());
    assertFalse(change.isFullyEffective());
    EdgeException e = assertThrows(EdgeException.class, change::requireEffective);
    assertEquals(ErrorCode.NOT_APPLIED, e.code());
    assertTrue(e.problem().contains("scaling_max_freq requested 3000000, reads 5137000"), e.problem());
  }

  @Test
  void apply_raspberryPi5BelowItsFloor_limitReadsBackButHardwareStaysAt1500MHz() {
    CpuFreq cpufreq = on("rpi5");
    kernel.hardwareFloor(1_500_000);
    AppliedChange change = cpufreq.change(0).governor("powersave").maxKHz(1_200_000).apply();
    assertTrue(change.settings().stream().allMatch(SettingResult::isEffective), change.toString());
    assertEquals(1_500_000, change.hardwareKHz().orElseThrow());
    String warning = change.frequencyWarning().orElseThrow();
    assertTrue(warning.contains("policy0 runs at 1500000 kHz (cpuinfo_cur_freq), outside the limits"
        + " 1000000..1200000 kHz"), warning);
    assertTrue(warning.contains("Raspberry Pi 5 Model B Rev 1.0 firmware does not clock the CPU below 1.5 GHz"),
        warning);
    assertFalse(change.isFullyEffective());
    assertEquals(ErrorCode.NOT_APPLIED, assertThrows(EdgeException.class, change::requireEffective).code());
  }

  @Test
  void apply_raspberryPi5AboveItsFloor_isFullyEffective() {
    CpuFreq cpufreq = on("rpi5");
    kernel.hardwareFloor(1_500_000);
    AppliedChange change = cpufreq.change(0).governor("performance").maxKHz(2_000_000).apply();
    assertEquals(2_000_000, change.hardwareKHz().orElseThrow());
    assertTrue(change.isFullyEffective(), change.toString());
    assertEquals(change, change.requireEffective());
  }

  // ---- restore on close -------------------------------------------------------------------------

  @Test
  void close_restoreRequested_putsBackEveryValueInTheKernelsOrder() {
    CpuFreq cpufreq = on("rk3588");
    try (AppliedChange change = cpufreq.change(4)
        .governor("performance").minKHz(1_608_000).maxKHz(2_016_000).restoreOnClose(true).apply()) {
      assertTrue(change.restoresOnClose());
      assertEquals("performance", attr(4, "scaling_governor"));
      assertEquals("1608000", attr(4, "scaling_min_freq"));
      assertEquals("2016000", attr(4, "scaling_max_freq"));
    }
    assertEquals("schedutil", attr(4, "scaling_governor"));
    assertEquals("408000", attr(4, "scaling_min_freq"));
    assertEquals("2400000", attr(4, "scaling_max_freq"));
    assertEquals(List.of(
        "policy4/scaling_max_freq=2016000", "policy4/scaling_min_freq=1608000", "policy4/scaling_governor=performance",
        "policy4/scaling_max_freq=2400000", "policy4/scaling_min_freq=408000", "policy4/scaling_governor=schedutil"),
        kernel.log());
  }

  @Test
  void close_restoreOfEppAfterGovernorChange_writesGovernorFirst() {
    CpuFreq cpufreq = on("intel-pstate-active");
    try (AppliedChange change = cpufreq.change(0).governor("performance").energyPerformancePreference("performance")
        .restoreOnClose(true).apply()) {
      assertTrue(change.isFullyEffective(), change.toString());
    }
    // powersave must be back before EPP balance_performance, or the kernel answers EBUSY.
    assertEquals("powersave", attr(0, "scaling_governor"));
    assertEquals("balance_performance", attr(0, "energy_performance_preference"));
  }

  @Test
  void close_restoreNotRequested_keepsTheNewValuesAndIsIdempotent() {
    CpuFreq cpufreq = on("rpi4");
    AppliedChange change = cpufreq.change(0).governor("powersave").apply();
    change.close();
    change.close();
    assertFalse(change.restoresOnClose());
    assertEquals("powersave", attr(0, "scaling_governor"));
    assertEquals(1, kernel.log().size());
  }

  @Test
  void close_calledTwice_restoresOnce() {
    CpuFreq cpufreq = on("rpi4");
    AppliedChange change = cpufreq.change(0).governor("powersave").restoreOnClose(true).apply();
    change.close();
    change.close();
    assertEquals(List.of("policy0/scaling_governor=powersave", "policy0/scaling_governor=ondemand"), kernel.log());
  }

  @Test
  void close_restoreRefused_throwsNamingTheFile() {
    CpuFreq cpufreq = on("rpi4");
    AppliedChange change = cpufreq.change(0).governor("powersave").restoreOnClose(true).apply();
    kernel.deny("scaling_governor");
    EdgeException e = assertThrows(EdgeException.class, change::close);
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.problem().contains("scaling_governor"), e.problem());
    assertTrue(e.problem().contains("restoring the values before the change"), e.problem());
  }

  @Test
  void close_restoreOfUserspaceSetspeed_restoresGovernorThenSpeed() throws IOException {
    CpuFreq cpufreq = on("rpi4");
    Files.writeString(policy(0).resolve("scaling_governor"), "userspace\n");
    Files.writeString(policy(0).resolve("scaling_setspeed"), "700000\n");
    try (AppliedChange change = cpufreq.change(0).setspeedKHz(1_000_000).restoreOnClose(true).apply()) {
      assertEquals("1000000", attr(0, "scaling_setspeed"));
      assertEquals("700000", change.settings().get(0).previous());
    }
    assertEquals("700000", attr(0, "scaling_setspeed"));
  }

  // ---- the real writer --------------------------------------------------------------------------

  @Test
  void apply_withTheFileWriter_writesTheRealFileAndReadsItBack() {
    CpuFreq cpufreq = CpuFreq.of(HostRoot.of(FixtureTrees.materialise("jetson-orin", dir)));
    AppliedChange change = cpufreq.change(8).governor("performance").restoreOnClose(true).apply();
    assertEquals("performance", attr(8, "scaling_governor"));
    assertTrue(change.isFullyEffective());
    change.close();
    assertEquals("schedutil", attr(8, "scaling_governor"));
  }
}
