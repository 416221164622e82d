package org.edgesdk.ota.ab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.edgesdk.api.HostRoot;
import org.edgesdk.api.ota.Compression;
import org.edgesdk.ota.repo.RepositoryPublisher;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.KeyType;

/** A device with file slots, the file boot backend, a host root and a local TUF repository. */
final class AbFixture {
  final Path dir;
  final RepositoryPublisher repo;
  final Path configFile;
  final HostRoot host;
  final byte[] imageA;

  AbFixture(Path dir) throws IOException {
    this.dir = dir;
    repo = RepositoryPublisher.init(dir.resolve("repo"), KeyType.ED25519, Clock.systemUTC());
    repo.publish(Duration.ofDays(7));
    Files.createDirectories(dir.resolve("host/proc"));
    host = HostRoot.of(dir.resolve("host"));
    imageA = image(1, 300_000);
    Files.write(dir.resolve("slot-a.img"), imageA);
    Files.write(dir.resolve("slot-b.img"), new byte[0]);
    configFile = Files.writeString(dir.resolve("device.json"), """
        {
          "compatible": "sim",
          "bootloader": {"backend": "file", "file": "bootvars", "attempts": 3},
          "slots": {"A": "slot-a.img", "B": "slot-b.img"},
          "stateDirectory": "state",
          "repository": "repo/repository",
          "trustedRoot": "repo/repository/metadata/1.root.json"
        }
        """);
    boot("A");
  }

  static byte[] image(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  void boot(String slot) throws IOException {
    Files.writeString(dir.resolve("host/proc/cmdline"), "console=ttyS0 root=/dev/mmcblk0p2 rauc.slot=" + slot + " rw\n");
  }

  /** Powers on: the bootloader script picks a slot and the kernel command line names it. */
  String powerOn() throws IOException {
    String slot = updater(s -> {}).bootControl().simulateBoot().orElseThrow();
    boot(slot);
    return slot;
  }

  /** Publishes an image, gzip-compressed by the publisher (members of 4 MiB) or uncompressed. */
  void publish(String name, byte[] image, String version, long securityVersion, boolean gzip) throws IOException {
    Path file = dir.resolve(name + ".raw");
    Files.write(file, image);
    repo.addImage("targets", file, name, fields(version, securityVersion, gzip ? Compression.GZIP : Compression.NONE));
    repo.publish(Duration.ofDays(7));
    Files.delete(file);
  }

  /** Publishes an image as one gzip member, as {@code gzip} or {@link GZIPOutputStream} write it. */
  void publishSingleMemberGzip(String name, byte[] image, String version, long securityVersion) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(image);
    }
    repo.addTarget(file, name, fields(version, securityVersion, Compression.GZIP));
    repo.publish(Duration.ofDays(7));
  }

  static UpdateFields fields(String version, long securityVersion, Compression compression) {
    return UpdateFields.release(version).withHardware(java.util.Set.of("sim"))
        .withSecurityVersion(securityVersion).withCompression(compression);
  }

  DeviceConfig config() {
    return DeviceConfig.load(configFile);
  }

  AbUpdater updater(Consumer<String> step) {
    return AbUpdater.builder(config()).hostRoot(host).onStep(step).build();
  }

  byte[] slot(String name) throws IOException {
    return Files.readAllBytes(config().slots().get(name));
  }

  Optional<String> installed(AbUpdater u, String target) {
    return Optional.of(u.install(u.chooseTarget(Optional.of(target)).orElseThrow()));
  }
}
