package org.edgesdk.examples.edgectl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.repo.RepositoryPublisher;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.KeyType;
import org.edgesdk.ota.tuf.RepositoryRefusedException;
import org.edgesdk.ota.tuf.TufClient;

/** The demo's chapter on verified updates: publish a TUF repository, fetch from it, refuse a replay. */
final class OtaChapter {
  private OtaChapter() {}

  static void print(int number, PrintWriter out) {
    out.println(number + ". Verified updates: a TUF repository in a temporary directory");
    Path dir = null;
    try {
      dir = Files.createTempDirectory("edgesdk-ota-demo");
      RepositoryPublisher repo = RepositoryPublisher.init(dir.resolve("repo"), KeyType.ED25519, Clock.systemUTC());
      Path image = Files.writeString(dir.resolve("rootfs.img"), "demo root file system 1.4.2\n");
      repo.addTarget(image, "rootfs-1.4.2.img",
          UpdateFields.release("1.4.2").withHardware(Set.of("rpi4")).withSecurityVersion(3));
      repo.publish(Duration.ofDays(7));
      Path timestamp = repo.repositoryDir().resolve("metadata/timestamp.json");
      byte[] old = Files.readAllBytes(timestamp);
      repo.publish(Duration.ofDays(7));
      out.println("   published  rootfs-1.4.2.img, signed with ed25519 keys (root, targets, snapshot, timestamp)");

      TufClient client = TufClient.builder()
          .repository(repo.repositoryDir().toUri())
          .trustedRoot(repo.initialRoot())
          .stateDirectory(dir.resolve("state"))
          .build();
      client.refresh();
      TargetDescription target = client.target("rootfs-1.4.2.img").orElseThrow();
      client.download(target, dir.resolve("downloaded.img"));
      out.println("   fetched    " + target.name() + " " + target.releaseVersion().orElse("?") + " for "
          + String.join(",", target.hardware()) + ", security version " + target.securityVersion()
          + ": length and sha256 verified");

      Files.write(timestamp, old); // a mirror replays yesterday's metadata
      try {
        client.refresh();
        out.println("   replay     accepted (unexpected)");
      } catch (RepositoryRefusedException e) {
        out.println("   replay     refused: " + e.problem());
      }
    } catch (IOException e) {
      out.println("   skipped: cannot use a temporary directory (" + e.getMessage() + ")");
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
    out.println();
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
