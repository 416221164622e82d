package org.edgesdk.examples.edgectl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.HostRoot;
import org.edgesdk.api.ota.Compression;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.ab.AbUpdater;
import org.edgesdk.ota.ab.DeviceConfig;
import org.edgesdk.ota.ab.HealthCheck;
import org.edgesdk.ota.ab.SlotStatus;
import org.edgesdk.ota.ab.UpdateStatus;
import org.edgesdk.ota.repo.RepositoryPublisher;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.KeyType;

/**
 * The demo's A/B chapter: a device with file slots in a temporary directory takes a good update
 * (installed, rebooted into, health-checked, committed) and then a bad one (health check fails,
 * rolled back, never offered again). The bootloader is the {@code file} backend's RAUC rules,
 * applied by {@code simulateBoot}.
 */
final class AbChapter {
  private static final int IMAGE_BYTES = 4 << 20;

  private AbChapter() {}

  static void print(int number, PrintWriter out) {
    out.println(number + ". A/B update: install, reboot, health check, commit; then a bad update rolled back");
    Path dir = null;
    try {
      dir = Files.createTempDirectory("edgesdk-ab-demo");
      story(dir, out);
    } catch (IOException | EdgeException e) {
      out.println("   skipped: " + (e instanceof EdgeException edge ? edge.oneLine() : "cannot use a temporary directory (" + e.getMessage() + ")"));
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
    out.println();
  }

  private static void story(Path dir, PrintWriter out) throws IOException {
    RepositoryPublisher repo = RepositoryPublisher.init(dir.resolve("repo"), KeyType.ED25519, Clock.systemUTC());
    repo.publish(Duration.ofDays(7));
    Files.write(dir.resolve("slot-a.img"), image("1.0"));
    Files.write(dir.resolve("slot-b.img"), new byte[0]);
    Path proc = Files.createDirectories(dir.resolve("host/proc"));
    Files.writeString(dir.resolve("device.json"), """
        {
          "compatible": "demo-board",
          "bootloader": {"backend": "file", "file": "bootvars", "attempts": 3},
          "slots": {"A": "slot-a.img", "B": "slot-b.img"},
          "stateDirectory": "state",
          "repository": "repo/repository",
          "trustedRoot": "repo/repository/metadata/1.root.json"
        }
        """);
    DeviceConfig config = DeviceConfig.load(dir.resolve("device.json"));
    AtomicInteger reboots = new AtomicInteger();
    AbUpdater updater = AbUpdater.builder(config).hostRoot(HostRoot.of(dir.resolve("host")))
        .rebootAction(reboots::incrementAndGet).build();
    boot(updater, proc);
    out.println("   device     slots A (running 1.0, " + IMAGE_BYTES + " bytes) and B, files in a temporary directory;"
        + " RAUC's boot variables in a file; booted " + updater.bootedSlot().orElse("?"));

    // a good update
    publish(repo, dir, "rootfs-2.0.img.gz", "2.0", 2, out);
    TargetDescription good = updater.chooseTarget(Optional.empty()).orElseThrow();
    install(updater, good, config, out);
    String slot = boot(updater, proc);
    UpdateStatus st = updater.resume();
    out.println("   reboot     bootloader booted " + slot + " (" + updater.bootControl().state(slot).attemptsLeft()
        + " attempts left); update " + OtaAbCommand.stateName(st.state()));
    boolean committed = updater.checkHealth(List.of(new HealthCheck("service answers", Duration.ofSeconds(2), () -> true)));
    st = updater.status();
    out.println("   health     check 'service answers' passed: " + (committed ? "committed" : "rolled back") + " "
        + version(st, slot) + " in slot " + slot + "; anti-rollback floor raised to security version " + good.securityVersion());

    // a bad update
    publish(repo, dir, "rootfs-3.0.img.gz", "3.0", 3, out);
    TargetDescription bad = updater.chooseTarget(Optional.empty()).orElseThrow();
    install(updater, bad, config, out);
    slot = boot(updater, proc);
    st = updater.resume();
    out.println("   reboot     bootloader booted " + slot + "; update " + OtaAbCommand.stateName(st.state()) + " running "
        + version(st, slot));
    boolean kept = updater.checkHealth(List.of(new HealthCheck("service answers", Duration.ofMillis(200), () -> false)));
    st = updater.status();
    out.println("   health     check 'service answers' failed: " + (kept ? "committed (unexpected)" : "rolled back")
        + "; slot " + slot + " marked " + st.slots().get(slot).state() + ", " + reboots.get() + " reboot requested");
    String back = boot(updater, proc);
    st = updater.resume();
    out.println("   reboot     bootloader booted " + back + ": running " + version(st, back) + " again; update "
        + OtaAbCommand.stateName(st.state()) + "; 3.0 is " + (updater.chooseTarget(Optional.empty()).isEmpty()
            ? "not offered again" : "offered again (unexpected)"));
    out.println("   versions   before: A 1.0 (factory); after: " + back + " " + version(st, back) + " (good), "
        + slot + " " + st.slots().get(slot).state());
  }

  private static String version(UpdateStatus st, String slot) {
    SlotStatus s = st.slots().get(slot);
    return s == null ? "?" : s.version().orElse("(unknown version)");
  }

  /** Power-on: the bootloader rules pick a slot, and the kernel command line names it. */
  private static String boot(AbUpdater updater, Path proc) throws IOException {
    String slot = updater.bootControl().simulateBoot().orElseThrow();
    Files.writeString(proc.resolve("cmdline"), "console=ttyS0 rauc.slot=" + slot + " rw\n");
    return slot;
  }

  /** A compressible root file system image of the given version. */
  static byte[] image(String version) {
    StringBuilder sb = new StringBuilder(IMAGE_BYTES);
    int i = 0;
    while (sb.length() < IMAGE_BYTES) {
      sb.append("demo rootfs ").append(version).append(" block ").append(i++).append('\n');
    }
    sb.setLength(IMAGE_BYTES);
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void publish(RepositoryPublisher repo, Path dir, String name, String version, long security, PrintWriter out)
      throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
      o.write(image(version));
    }
    repo.addTarget(file, name, UpdateFields.release(version).withHardware(Set.of("demo-board"))
        .withSecurityVersion(security).withCompression(Compression.GZIP));
    repo.publish(Duration.ofDays(7));
    out.println("   publish    " + name + " (" + version + ", security version " + security + "): " + IMAGE_BYTES
        + " bytes, " + Files.size(file) + " gzip-compressed, signed");
  }

  private static void install(AbUpdater updater, TargetDescription t, DeviceConfig config, PrintWriter out) throws IOException {
    long start = System.nanoTime();
    String slot = updater.install(t);
    long ms = (System.nanoTime() - start) / 1_000_000;
    out.println("   install    " + t.name() + " verified, decompressed and written to slot " + slot + ": "
        + Files.size(config.slots().get(slot)) + " bytes in " + ms + " ms, read back and verified; "
        + updater.bootControl().primary().orElse("?") + " is primary");
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
