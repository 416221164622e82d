package org.edgesdk.ota.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The RAUC rules of every built-in backend, driven through the bootloader script simulation. */
class BootControlTest {
  @TempDir Path dir;

  private BootControl open(String backend) throws IOException {
    Path file;
    switch (backend) {
      case "uboot" -> {
        Path env = dir.resolve("uboot.env");
        Files.write(env, new byte[0x4000]);
        file = Files.writeString(dir.resolve("fw_env.config"), env + " 0x0 0x2000\n" + env + " 0x2000 0x2000\n");
        new UBootEnvironment(FwEnvConfig.parse(Files.readString(file), "t")).write(Map.of("bootcmd", "run raucboot"));
      }
      case "grub" -> file = dir.resolve("grubenv");
      default -> file = dir.resolve("bootvars");
    }
    return BootControls.open(backend, BootSettings.ab(file));
  }

  @ParameterizedTest
  @ValueSource(strings = {"uboot", "grub", "file"})
  void fresh_defaults_bootsFirstSlot(String backend) throws IOException {
    BootControl bc = open(backend);
    assertEquals(backend, bc.backend());
    assertEquals(List.of("A", "B"), bc.bootOrder());
    assertEquals(Optional.of("A"), bc.primary());
    assertEquals(Optional.of("A"), bc.simulateBoot());
  }

  @ParameterizedTest
  @ValueSource(strings = {"uboot", "grub", "file"})
  void goodUpdate_activatedBootedMarkedGood_staysOnNewSlot(String backend) throws IOException {
    BootControl bc = open(backend);
    bc.markUnbootable("B");
    assertFalse(bc.state("B").bootable());
    assertEquals(Optional.of("A"), bc.simulateBoot()); // a reboot mid-write still boots A
    bc.markGood("A"); // the running, healthy system marks itself good after each boot (rauc mark-good)
    bc.activate("B");
    assertEquals(Optional.of("B"), bc.primary());
    assertEquals(Optional.of("B"), bc.simulateBoot());
    bc.markGood("B");
    for (int i = 0; i < 5; i++) {
      assertEquals(Optional.of("B"), bc.simulateBoot());
      bc.markGood("B"); // a committed slot re-marks itself good after each boot
    }
    assertTrue(bc.state("A").bootable(), "the old slot stays as fallback");
  }

  @ParameterizedTest
  @ValueSource(strings = {"uboot", "grub", "file"})
  void badUpdate_markedBad_nextBootFallsBack(String backend) throws IOException {
    BootControl bc = open(backend);
    bc.markUnbootable("B");
    bc.activate("B");
    assertEquals(Optional.of("B"), bc.simulateBoot());
    bc.markBad("B");
    assertEquals(Optional.of("A"), bc.primary());
    assertEquals(Optional.of("A"), bc.simulateBoot());
    assertFalse(bc.state("B").bootable());
  }

  @ParameterizedTest
  @ValueSource(strings = {"uboot", "grub", "file"})
  void neverComesUp_attemptsRunOut_fallsBackToOldSlot(String backend) throws IOException {
    BootControl bc = open(backend);
    bc.markGood("A");
    bc.activate("B");
    int attempts = backend.equals("grub") ? 1 : 3;
    for (int i = 0; i < attempts; i++) {
      assertEquals(Optional.of("B"), bc.simulateBoot(), "attempt " + (i + 1));
    }
    assertEquals(Optional.of("A"), bc.simulateBoot());
  }

  @ParameterizedTest
  @ValueSource(strings = {"uboot", "file"})
  void noAttemptsLeftAnywhere_scriptResetsAttempts(String backend) throws IOException {
    BootControl bc = open(backend);
    for (int i = 0; i < 6; i++) {
      bc.simulateBoot();
    }
    assertEquals(Optional.empty(), bc.simulateBoot());
    assertEquals(Optional.of("A"), bc.simulateBoot());
  }

  @Test
  void unknownSlotOrBackend_illegalArgument() throws IOException {
    BootControl bc = open("file");
    assertThrows(IllegalArgumentException.class, () -> bc.markGood("C"));
    assertThrows(IllegalArgumentException.class, () -> BootControls.open("lilo", BootSettings.ab(dir.resolve("x"))));
  }

  @Test
  void uboot_activate_fwPrintenvSeesRaucVariables() throws Exception {
    assumeTrue(Tools.onPath("fw_printenv"), "fw_printenv not installed (apt-get install libubootenv-tool)");
    BootControl bc = open("uboot");
    bc.activate("B");
    bc.simulateBoot();
    Tools.Result r = Tools.run("fw_printenv", "-c", dir.resolve("fw_env.config").toString());
    Map<String, String> vars = new TreeMap<>();
    r.out().lines().forEach(l -> vars.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    assertEquals(Map.of("BOOT_ORDER", "B A", "BOOT_A_LEFT", "3", "BOOT_B_LEFT", "2", "bootcmd", "run raucboot"), vars);
  }

  @Test
  void grub_markBad_grubEditenvSeesRaucVariables() throws Exception {
    assumeTrue(Tools.onPath("grub-editenv"), "grub-editenv not installed (apt-get install grub-common)");
    BootControl bc = open("grub");
    bc.activate("B");
    bc.simulateBoot();
    bc.markBad("B");
    Tools.Result r = Tools.run("grub-editenv", dir.resolve("grubenv").toString(), "list");
    assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=0"), r.out().lines().toList());
  }
}
