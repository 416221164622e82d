package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.ota.boot.FwEnvConfig;
import org.edgesdk.ota.boot.UBootEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full update cycles with Mender's U-Boot variables in a redundant file-backed U-Boot environment:
 * the kernel command line carries only {@code root=} (as {@code mender_kernel_root} sets it), the
 * bootloader simulation applies U-Boot's boot count and {@code mender_altbootcmd}.
 */
class MenderCycleTest {
  private static final HealthCheck PASS = new HealthCheck("ok", Duration.ofSeconds(5), () -> true);
  private static final HealthCheck FAIL = new HealthCheck("app", Duration.ofSeconds(5), () -> false);

  @TempDir Path dir;
  AbFixture f;
  Path env;

  @BeforeEach
  void menderDevice() throws IOException {
    f = new AbFixture(dir);
    env = dir.resolve("uboot.env");
    Files.write(env, new byte[0x4000]);
    Path cfg = Files.writeString(dir.resolve("fw_env.config"), env + " 0x0 0x2000\n" + env + " 0x2000 0x2000\n");
    new UBootEnvironment(FwEnvConfig.parse(Files.readString(cfg), "t")).write(Map.of(
        "altbootcmd", "run mender_altbootcmd; run bootcmd", "bootlimit", "1", "bootcount", "0",
        "upgrade_available", "0", "mender_boot_part", "2", "mender_boot_part_hex", "2"));
    Files.writeString(f.configFile, Files.readString(f.configFile).replace(
        "\"backend\": \"file\", \"file\": \"bootvars\", \"attempts\": 3",
        "\"backend\": \"uboot\", \"file\": \"fw_env.config\", \"variables\": \"mender\", \"partitions\": {\"A\": 2, \"B\": 3}"));
    powerOn();
  }

  /** The bootloader boots; Mender's kernel command line names the partition with root= only. */
  private String powerOn() throws IOException {
    String slot = f.updater(s -> {}).bootControl().simulateBoot().orElseThrow();
    Files.writeString(dir.resolve("host/proc/cmdline"), "console=ttyS0 root=" + f.config().slots().get(slot) + " rw\n");
    return slot;
  }

  private Map<String, String> vars() {
    return UBootEnvironment.fromConfigFile(dir.resolve("fw_env.config")).read();
  }

  @Test
  void goodThenBadThenNeverBoots_committedRolledBackFellBack() throws Exception {
    AbUpdater u = f.updater(s -> {});
    assertEquals(Optional.of("A"), u.bootedSlot(), "root= names slot A");
    assertEquals("uboot", u.bootControl().backend());

    // good: installed into partition 3, one boot on trial, committed
    byte[] v2 = AbFixture.image(2, 200_000);
    f.publish("rootfs-2.img", v2, "2.0", 2, false);
    assertEquals(Optional.of("B"), f.installed(u, "rootfs-2.img"));
    assertArrayEquals(v2, f.slot("B"));
    assertEquals("3", vars().get("mender_boot_part"));
    assertEquals("1", vars().get("upgrade_available"));
    assertEquals("B", powerOn());
    assertEquals(UpdateState.TRIAL, u.resume().state());
    assertTrue(u.checkHealth(List.of(PASS)));
    assertEquals("0", vars().get("upgrade_available"), "commit is upgrade_available=0");
    assertEquals("B", powerOn());
    assertEquals("B", powerOn());

    // bad: fails its health check, rolled back to partition 3
    f.publish("rootfs-3.img", AbFixture.image(3, 200_000), "3.0", 3, false);
    assertEquals(Optional.of("A"), f.installed(u, "rootfs-3.img"));
    assertEquals("A", powerOn());
    u.resume();
    assertFalse(u.checkHealth(List.of(FAIL)));
    assertEquals("3", vars().get("mender_boot_part"));
    assertEquals("0", vars().get("upgrade_available"));
    assertEquals("B", powerOn());
    assertEquals(UpdateState.ROLLED_BACK, u.resume().state());

    // never boots: the kernel dies before the application; bootcount passes bootlimit, altbootcmd
    f.publish("rootfs-4.img", AbFixture.image(4, 200_000), "4.0", 4, false);
    assertEquals(Optional.of("A"), f.installed(u, "rootfs-4.img"));
    assertEquals("A", powerOn()); // bootcount 1
    assertEquals("B", powerOn()); // bootcount 2 > bootlimit 1: mender_altbootcmd
    UpdateStatus st = u.resume();
    assertEquals(UpdateState.ROLLED_BACK, st.state());
    assertEquals(Optional.of("B"), st.booted());
    assertEquals(new SlotStatus("good", Optional.of("2.0")), st.slots().get("B"));
    assertEquals("bad", st.slots().get("A").state());
  }

  @Test
  void config_partitionsDefaultFromDeviceNames() throws IOException {
    Files.writeString(f.configFile, Files.readString(f.configFile)
        .replace(", \"partitions\": {\"A\": 2, \"B\": 3}", "")
        .replace("\"A\": \"slot-a.img\", \"B\": \"slot-b.img\"", "\"A\": \"/dev/mmcblk0p2\", \"B\": \"/dev/mmcblk0p3\""));
    assertEquals(Map.of("A", 2, "B", 3), f.config().partitions());
    assertEquals("mender", f.config().bootSettings().variables());
  }
}
