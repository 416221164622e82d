package org.edgesdk.ota.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mender's U-Boot variables (the {@code uboot} backend with {@code variables} {@code mender}):
 * U-Boot's boot-count rules ({@code CONFIG_BOOTCOUNT_LIMIT} with {@code CONFIG_BOOTCOUNT_ENV}:
 * {@code bootcount} counted only while {@code upgrade_available=1}, {@code altbootcmd} once
 * {@code bootcount > bootlimit}) and meta-mender's {@code mender_altbootcmd} (switch
 * {@code mender_boot_part}, {@code upgrade_available=0}, saveenv), on a redundant file-backed
 * environment; and interoperability with the real {@code fw_printenv}/{@code fw_setenv}.
 */
class MenderUBootControlTest {
  @TempDir Path dir;
  Path cfg;

  /** The default environment meta-mender's env_mender.h compiles into U-Boot (rootfs A = partition 2). */
  static Map<String, String> menderDefaults() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("altbootcmd", "run mender_altbootcmd; run bootcmd");
    vars.put("bootlimit", "1");
    vars.put("bootcount", "0");
    vars.put("upgrade_available", "0");
    vars.put("mender_boot_part", "2");
    vars.put("mender_boot_part_hex", "2");
    return vars;
  }

  private BootControl open(Map<String, String> initial) throws IOException {
    Path env = dir.resolve("uboot.env");
    Files.write(env, new byte[0x4000]);
    cfg = Files.writeString(dir.resolve("fw_env.config"), env + " 0x0 0x2000\n" + env + " 0x2000 0x2000\n");
    if (initial != null) {
      UBootEnvironment.fromConfigFile(cfg).write(initial);
    }
    return BootControls.open("uboot", settings(cfg));
  }

  static BootSettings settings(Path file) {
    return new BootSettings(file, List.of("A", "B"), 3, BootSettings.MENDER, Map.of("A", 2, "B", 3));
  }

  private Map<String, String> vars() {
    return new TreeMap<>(UBootEnvironment.fromConfigFile(cfg).read());
  }

  @Test
  void fresh_defaults_bootsPartitionAWithoutCounting() throws IOException {
    BootControl bc = open(menderDefaults());
    assertEquals("uboot", bc.backend());
    assertEquals(List.of("A"), bc.bootOrder());
    assertEquals(Optional.of("A"), bc.primary());
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.of("A"), bc.simulateBoot());
    }
    assertEquals("0", vars().get("bootcount"), "bootcount only counts during an upgrade");
    assertFalse(bc.state("B").bootable());
  }

  @Test
  void activate_oneWriteOfPartUpgradeAvailableAndBootcount() throws IOException {
    BootControl bc = open(menderDefaults());
    bc.activate("B");
    Map<String, String> expected = new TreeMap<>(menderDefaults());
    expected.putAll(Map.of("mender_boot_part", "3", "mender_boot_part_hex", "3", "upgrade_available", "1", "bootcount", "0"));
    assertEquals(expected, vars());
    assertEquals(List.of("B", "A"), bc.bootOrder(), "altbootcmd falls back to A");
    assertEquals(new SlotBootState("B", true, 1, true), bc.state("B"));
    assertEquals(new SlotBootState("A", true, 1, false), bc.state("A"));
  }

  @Test
  void trialThenCommit_bootsNewPartitionForever() throws IOException {
    BootControl bc = open(menderDefaults());
    bc.activate("B");
    assertEquals(Optional.of("B"), bc.simulateBoot());
    assertEquals("1", vars().get("bootcount"));
    assertEquals(0, bc.state("B").attemptsLeft(), "the next reboot without a commit falls back");
    bc.markGood("B");
    assertEquals("0", vars().get("upgrade_available"));
    assertEquals("3", vars().get("mender_boot_part"));
    for (int i = 0; i < 4; i++) {
      assertEquals(Optional.of("B"), bc.simulateBoot());
    }
    assertEquals(List.of("B"), bc.bootOrder());
  }

  @Test
  void trialNotCommitted_bootcountPastBootlimit_altbootcmdSwitchesBack() throws IOException {
    BootControl bc = open(menderDefaults());
    bc.activate("B");
    assertEquals(Optional.of("B"), bc.simulateBoot()); // bootcount 1, not > bootlimit 1
    assertEquals(Optional.of("A"), bc.simulateBoot()); // bootcount 2 > 1: altbootcmd
    Map<String, String> v = vars();
    assertEquals("2", v.get("mender_boot_part"));
    assertEquals("2", v.get("mender_boot_part_hex"));
    assertEquals("0", v.get("upgrade_available"));
    assertFalse(bc.state("B").bootable());
    assertEquals(Optional.of("A"), bc.simulateBoot());
  }

  @Test
  void bootlimitFromEnvironment_honoured() throws IOException {
    Map<String, String> vars = menderDefaults();
    vars.put("bootlimit", "3");
    BootControl bc = open(vars);
    bc.activate("B");
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.of("B"), bc.simulateBoot(), "boot " + (i + 1));
    }
    assertEquals(Optional.of("A"), bc.simulateBoot());
  }

  @Test
  void markBadInTrial_otherPartitionBootsNext() throws IOException {
    BootControl bc = open(menderDefaults());
    bc.activate("B");
    assertEquals(Optional.of("B"), bc.simulateBoot());
    bc.markBad("B");
    assertEquals(Optional.of("A"), bc.primary());
    assertEquals("0", vars().get("upgrade_available"));
    assertEquals(Optional.of("A"), bc.simulateBoot());
  }

  @Test
  void markUnbootableInactive_noChange_noWrite() throws IOException {
    BootControl bc = open(menderDefaults());
    Map<String, String> before = vars();
    byte[] raw = Files.readAllBytes(dir.resolve("uboot.env"));
    bc.markGood("A");
    bc.markUnbootable("B");
    assertEquals(before, vars());
    assertTrue(java.util.Arrays.equals(raw, Files.readAllBytes(dir.resolve("uboot.env"))), "no needless flash write");
  }

  @Test
  void emptyVariables_fileBackend_envMenderDefaults() throws IOException {
    BootControl bc = BootControls.open("file", settings(dir.resolve("bootvars")));
    assertEquals(Optional.of("A"), bc.simulateBoot());
    assertTrue(Files.readString(dir.resolve("bootvars")).contains("mender_boot_part=2\n"));
  }

  @Test
  void settings_missingPartitionOrThreeSlotsOrGrub_illegalArgument() {
    Path f = dir.resolve("bootvars");
    assertThrows(IllegalArgumentException.class, () -> BootControls.open("file",
        new BootSettings(f, List.of("A", "B"), 3, BootSettings.MENDER, Map.of("A", 2))));
    assertThrows(IllegalArgumentException.class, () -> BootControls.open("file",
        new BootSettings(f, List.of("A", "B", "C"), 3, BootSettings.MENDER, Map.of("A", 2, "B", 3, "C", 4))));
    assertThrows(IllegalArgumentException.class, () -> BootControls.open("grub", settings(dir.resolve("grubenv"))));
    assertThrows(IllegalArgumentException.class, () -> BootControls.open("file",
        new BootSettings(f, List.of("A", "B"), 3, "lilo", Map.of())));
  }

  // --- interoperability with libubootenv's fw_printenv / fw_setenv (Debian libubootenv-tool) ---

  private static void assumeTools() {
    assumeTrue(Tools.onPath("fw_printenv") && Tools.onPath("fw_setenv"),
        "fw_printenv/fw_setenv not installed (apt-get install libubootenv-tool)");
  }

  private Map<String, String> fwPrintenv() throws Exception {
    Tools.Result r = Tools.run("fw_printenv", "-c", cfg.toString());
    assertEquals(0, r.exit(), r.out());
    Map<String, String> vars = new TreeMap<>();
    r.out().lines().forEach(l -> vars.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return vars;
  }

  @Test
  void ourActivateAndAltboot_fwPrintenvReadsExactly() throws Exception {
    assumeTools();
    BootControl bc = open(menderDefaults());
    bc.activate("B");
    assertEquals(vars(), fwPrintenv());
    assertEquals("3", fwPrintenv().get("mender_boot_part"));
    assertEquals("1", fwPrintenv().get("upgrade_available"));
    bc.simulateBoot();
    bc.simulateBoot();
    Map<String, String> after = fwPrintenv();
    assertEquals("2", after.get("mender_boot_part"), "altbootcmd's switch, as the OS sees it");
    assertEquals("0", after.get("upgrade_available"));
    assertEquals("2", after.get("bootcount"));
  }

  @Test
  void mendersFwSetenvInstallAndCommit_weFollow() throws Exception {
    assumeTools();
    BootControl bc = open(menderDefaults());
    Path defaults = Files.writeString(dir.resolve("defaults.env"), "");
    // what Mender's client writes to install into partition 3, in one fw_setenv
    assertEquals(0, Tools.run("fw_setenv", "-c", cfg.toString(), "-f", defaults.toString(),
        "mender_boot_part", "3", "mender_boot_part_hex", "3", "upgrade_available", "1", "bootcount", "0").exit());
    assertEquals(Optional.of("B"), bc.primary());
    assertEquals(List.of("B", "A"), bc.bootOrder());
    assertEquals(Optional.of("B"), bc.simulateBoot());
    assertEquals("1", fwPrintenv().get("bootcount"));
    // what Mender's client writes to commit
    assertEquals(0, Tools.run("fw_setenv", "-c", cfg.toString(), "-f", defaults.toString(), "upgrade_available", "0").exit());
    assertEquals(List.of("B"), bc.bootOrder());
    assertEquals(new SlotBootState("B", true, 1, true), bc.state("B"));
    assertEquals(Optional.of("B"), bc.simulateBoot());
    assertEquals(Optional.of("B"), bc.simulateBoot());
  }
}
