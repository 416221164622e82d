package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbUpdaterTest {
  @TempDir Path dir;

  private static final HealthCheck PASS = new HealthCheck("ok", Duration.ofSeconds(5), () -> true);
  private static final HealthCheck FAIL = new HealthCheck("app", Duration.ofSeconds(5), () -> false);

  @Test
  void goodUpdate_installRebootHealthy_committedFloorRaised() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 3_000_000);
    f.publish("rootfs-2.img.gz", v2, "2.0", 5, true);
    AbUpdater u = f.updater(s -> {});
    assertEquals(Optional.of("A"), u.bootedSlot());
    TargetDescriptionHolder.check(u.chooseTarget(Optional.empty()).orElseThrow().name(), "rootfs-2.img.gz");
    assertEquals("B", u.install(u.chooseTarget(Optional.empty()).orElseThrow()));
    assertArrayEquals(v2, f.slot("B"));
    assertEquals(UpdateState.INSTALLED, u.status().state());
    assertEquals(Optional.of("B"), u.status().primary());
    assertEquals("B", f.powerOn());
    assertEquals(UpdateState.TRIAL, u.resume().state());
    assertEquals("trial", u.status().slots().get("B").state());
    assertTrue(u.checkHealth(List.of(PASS)));
    UpdateStatus st = u.status();
    assertEquals(UpdateState.COMMITTED, st.state());
    assertEquals(new SlotStatus("good", Optional.of("2.0")), st.slots().get("B"));
    assertEquals("B", f.powerOn());
    assertEquals("B", f.powerOn());
    assertEquals(Optional.empty(), u.chooseTarget(Optional.empty()), "nothing newer than what runs");
  }

  @Test
  void badUpdate_healthCheckFails_rolledBackNeverReinstalled() throws Exception {
    AbFixture f = new AbFixture(dir);
    f.publish("rootfs-3.img", AbFixture.image(3, 500_000), "3.0", 7, false);
    AtomicInteger reboots = new AtomicInteger();
    AbUpdater u = AbUpdater.builder(f.config()).hostRoot(f.host).rebootAction(reboots::incrementAndGet).build();
    f.installed(u, "rootfs-3.img");
    assertEquals("B", f.powerOn());
    u.resume();
    assertFalse(u.checkHealth(List.of(PASS, FAIL)));
    assertEquals(1, reboots.get());
    assertEquals(UpdateState.ROLLED_BACK, u.status().state());
    assertEquals("bad", u.status().slots().get("B").state());
    assertEquals("A", f.powerOn());
    assertArrayEquals(f.imageA, f.slot("A"));
    assertEquals(Optional.empty(), u.chooseTarget(Optional.empty()), "a failed target is not retried");
    EdgeException e = assertThrows(EdgeException.class, () -> u.chooseTarget(Optional.of("rootfs-3.img")));
    assertEquals(ErrorCode.NOT_APPLIED, e.code());
  }

  @Test
  void neverBoots_attemptsRunOut_bootloaderFallbackReported() throws Exception {
    AbFixture f = new AbFixture(dir);
    f.publish("rootfs-4.img", AbFixture.image(4, 100_000), "4.0", 1, false);
    AbUpdater u = f.updater(s -> {});
    f.installed(u, "rootfs-4.img");
    for (int i = 0; i < 3; i++) {
      assertEquals("B", f.powerOn()); // the kernel panics before the application runs
    }
    assertEquals("A", f.powerOn());
    UpdateStatus st = u.resume();
    assertEquals(UpdateState.ROLLED_BACK, st.state());
    assertEquals(Optional.of("A"), st.booted());
    assertEquals("bad", st.slots().get("B").state());
  }

  @Test
  void healthCheckOverrunsDeadline_fails() throws Exception {
    AbFixture f = new AbFixture(dir);
    f.publish("rootfs-5.img", AbFixture.image(5, 1000), "5.0", 1, false);
    AbUpdater u = f.updater(s -> {});
    f.installed(u, "rootfs-5.img");
    f.powerOn();
    u.resume();
    HealthCheck slow = new HealthCheck("slow", Duration.ofMillis(50), () -> {
      Thread.sleep(60_000);
      return true;
    });
    assertFalse(u.checkHealth(List.of(slow)));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"uboot", "grub"})
  void realBootloaderStores_goodThenFallback_cyclesComplete(String backend) throws Exception {
    AbFixture f = new AbFixture(dir);
    String file = "grubenv";
    if (backend.equals("uboot")) {
      Path env = dir.resolve("uboot.env");
      Files.write(env, new byte[0x4000]);
      Files.writeString(dir.resolve("fw_env.config"), env + " 0x0 0x2000\n" + env + " 0x2000 0x2000\n");
      new org.edgesdk.ota.boot.UBootEnvironment(org.edgesdk.ota.boot.FwEnvConfig.parse(
          Files.readString(dir.resolve("fw_env.config")), "t")).write(Map.of("bootcmd", "run raucboot"));
      file = "fw_env.config";
    }
    Files.writeString(f.configFile, Files.readString(f.configFile)
        .replace("\"backend\": \"file\", \"file\": \"bootvars\"", "\"backend\": \"" + backend + "\", \"file\": \"" + file + "\""));
    f.publish("rootfs-2.img", AbFixture.image(2, 200_000), "2.0", 2, false);
    AbUpdater u = f.updater(s -> {});
    assertEquals(backend, u.bootControl().backend());
    f.installed(u, "rootfs-2.img");
    assertEquals("B", f.powerOn());
    u.resume();
    assertTrue(u.checkHealth(List.of(PASS)));
    assertEquals("B", f.powerOn());
    f.publish("rootfs-3.img", AbFixture.image(3, 200_000), "3.0", 3, false);
    assertEquals("A", u.install(u.chooseTarget(Optional.empty()).orElseThrow()));
    String slot;
    while ((slot = f.powerOn()).equals("A")) {
      // the new slot never comes up; each power-on spends one attempt
      assertEquals(UpdateState.INSTALLED, u.status().state());
      if (u.bootControl().state("A").attemptsLeft() == 0 && !u.bootControl().state("A").inOrder()) {
        break;
      }
    }
    assertEquals("B", slot, "fell back to the committed slot");
    UpdateStatus st = u.resume();
    assertEquals(UpdateState.ROLLED_BACK, st.state());
    assertEquals(new SlotStatus("good", Optional.of("2.0")), st.slots().get("B"));
  }

  @Test
  void status_fresh_idleUnknownSlots() throws Exception {
    AbFixture f = new AbFixture(dir);
    UpdateStatus st = f.updater(s -> {}).status();
    assertEquals(UpdateState.IDLE, st.state());
    assertEquals(Map.of("A", new SlotStatus("unknown", Optional.empty()), "B", new SlotStatus("unknown", Optional.empty())), st.slots());
  }

  @Test
  void cmdline_rootDevice_namesSlot() {
    assertEquals(Optional.of("B"), BootedSlot.fromCmdline("root=/dev/mmcblk0p3 ro",
        Map.of("A", Path.of("/dev/mmcblk0p2"), "B", Path.of("/dev/mmcblk0p3"))));
    assertEquals(Optional.empty(), BootedSlot.fromCmdline("root=/dev/sda1", Map.of("A", Path.of("/dev/x"), "B", Path.of("/dev/y"))));
  }

  @Test
  void config_missingField_corruptDataNamingField() throws Exception {
    Path file = Files.writeString(dir.resolve("d.json"), "{\"compatible\": \"x\"}");
    EdgeException e = assertThrows(EdgeException.class, () -> DeviceConfig.load(file));
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().contains("'slots'"), e.problem());
  }

  /** Tiny helper so the first assertion reads as intent. */
  private static final class TargetDescriptionHolder {
    static void check(String actual, String expected) {
      assertEquals(expected, actual);
    }
  }
}
