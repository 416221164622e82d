package org.edgesdk.examples.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.edgesdk.api.HostRoot;
import org.edgesdk.ota.ab.AbUpdater;
import org.edgesdk.ota.ab.DeviceConfig;
import org.edgesdk.ota.repo.RepositoryPublisher;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.KeyType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the update service against a device simulated with files: two image-file slots, the file
 * boot backend, a kernel command line naming the booted slot, and a TUF repository on a file:// URL.
 */
class UpdateServiceTest {
  @TempDir Path dir;
  private RepositoryPublisher repo;
  private Path config;
  private Path healthFile;

  @BeforeEach
  void device() throws IOException {
    repo = RepositoryPublisher.init(dir.resolve("repo"), KeyType.ED25519, Clock.systemUTC());
    repo.publish(Duration.ofDays(7));
    Files.write(dir.resolve("slot-a.img"), image(1, 100_000));
    Files.write(dir.resolve("slot-b.img"), new byte[0]);
    config = Files.writeString(dir.resolve("device.json"), """
        {
          "compatible": "sim",
          "bootloader": {"backend": "file", "file": "bootvars", "attempts": 3},
          "slots": {"A": "slot-a.img", "B": "slot-b.img"},
          "stateDirectory": "state",
          "repository": "repo/repository",
          "trustedRoot": "repo/repository/metadata/1.root.json"
        }
        """);
    healthFile = dir.resolve("app-ready");
    Files.createDirectories(dir.resolve("host/proc"));
    boot("A");
  }

  @Test
  void run_goodThenBadUpdate_commitsTheGoodAndRollsBackTheBad() throws IOException {
    byte[] v2 = image(2, 400_000);
    publish("rootfs-2.img", v2, "2.0", 2);
    assertTrue(run().contains("installed rootfs-2.img 2.0 into slot B, verified; rebooting to try it"));
    assertArrayEquals(v2, Files.readAllBytes(dir.resolve("slot-b.img")));

    assertEquals("B", powerOn());
    Files.writeString(healthFile, "up");
    String trial = run();
    assertTrue(trial.contains("booted B, update state TRIAL (rootfs-2.img)"), trial);
    assertTrue(trial.contains("trial of rootfs-2.img: health checks passed, committed"), trial);
    assertTrue(trial.contains("up to date"), trial);

    publish("rootfs-3.img", image(3, 200_000), "3.0", 3);
    assertTrue(run().contains("installed rootfs-3.img 3.0 into slot A"));
    assertEquals("A", powerOn());
    Files.delete(healthFile); // the new release does not come up
    String bad = run();
    assertTrue(bad.contains("trial of rootfs-3.img: health checks failed, rolled back to B"), bad);
    assertTrue(bad.contains("reboot needed"), bad);

    assertEquals("B", powerOn());
    String after = run();
    assertTrue(after.contains("booted B, update state ROLLED_BACK"), after);
    assertTrue(after.contains("up to date"), after + " (a rolled-back target is never installed again)");
  }

  private String run() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new UpdateService(new String[] {"--config", config.toString(), "--host-root", dir.resolve("host").toString(),
        "--health-file", healthFile.toString(), "--health-timeout-s", "5", "--loops", "1"}, Map.of(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Power on: the bootloader script picks a slot and the kernel command line names it. */
  private String powerOn() throws IOException {
    String slot = AbUpdater.builder(DeviceConfig.load(config)).hostRoot(HostRoot.of(dir.resolve("host"))).build()
        .bootControl().simulateBoot().orElseThrow();
    boot(slot);
    return slot;
  }

  private void boot(String slot) throws IOException {
    Files.writeString(dir.resolve("host/proc/cmdline"), "console=ttyS0 rauc.slot=" + slot + " rw\n");
  }

  private void publish(String name, byte[] image, String version, long securityVersion) throws IOException {
    Path file = Files.write(dir.resolve(name), image);
    repo.addTarget(file, name, UpdateFields.release(version).withHardware(Set.of("sim"))
        .withSecurityVersion(securityVersion));
    repo.publish(Duration.ofDays(7));
  }

  private static byte[] image(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
