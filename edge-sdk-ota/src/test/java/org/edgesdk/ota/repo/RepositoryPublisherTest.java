package org.edgesdk.ota.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.tuf.KeyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryPublisherTest {
  @TempDir Path tmp;

  @Test
  void init_writesLayout_privateKeysOwnerOnly() throws IOException {
    RepositoryPublisher repo = RepositoryPublisher.init(tmp.resolve("r"), KeyType.ED25519, Clock.systemUTC());
    Path metadata = repo.repositoryDir().resolve("metadata");
    for (String f : List.of("1.root.json", "root.json", "1.targets.json", "1.snapshot.json", "timestamp.json")) {
      assertTrue(Files.exists(metadata.resolve(f)), f);
    }
    try (Stream<Path> keys = Files.list(tmp.resolve("r/keys"))) {
      List<Path> files = keys.toList();
      assertEquals(4, files.size());
      for (Path key : files) {
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
            Files.getPosixFilePermissions(key));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
      }
    }
    assertFalse(Files.exists(repo.repositoryDir().resolve("keys")), "keys are never under the served directory");
  }

  @Test
  void init_twice_refused() {
    RepositoryPublisher.init(tmp.resolve("r"), KeyType.ED25519, Clock.systemUTC());
    EdgeException e = assertThrows(EdgeException.class,
        () -> RepositoryPublisher.init(tmp.resolve("r"), KeyType.ED25519, Clock.systemUTC()));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }

  @Test
  void open_withoutRepository_notFound() {
    EdgeException e = assertThrows(EdgeException.class, () -> RepositoryPublisher.open(tmp, Clock.systemUTC()));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.remedy().contains("repo init"), e.remedy());
  }

  @Test
  void publish_withMissingKey_namesTheKeyFile() throws IOException {
    RepositoryPublisher repo = RepositoryPublisher.init(tmp.resolve("r"), KeyType.ED25519, Clock.systemUTC());
    try (Stream<Path> keys = Files.list(tmp.resolve("r/keys"))) {
      for (Path k : keys.toList()) {
        Files.delete(k);
      }
    }
    EdgeException e = assertThrows(EdgeException.class, () -> repo.publish(Duration.ofDays(1)));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.problem().contains("the private key"), e.problem());
  }

  @Test
  void addTarget_pathEscapingName_rejected() throws IOException {
    RepositoryPublisher repo = RepositoryPublisher.init(tmp.resolve("r"), KeyType.ED25519, Clock.systemUTC());
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertThrows(IllegalArgumentException.class, () -> repo.addTarget(file, "../evil", UpdateFields.release("1")));
    assertThrows(IllegalArgumentException.class, () -> repo.addTarget(file, "/abs", UpdateFields.release("1")));
  }

  @Test
  void addTarget_storesConsistentSnapshotName_andPublishes() throws IOException {
    RepositoryPublisher repo = RepositoryPublisher.init(tmp.resolve("r"), KeyType.ED25519, Clock.systemUTC());
    Path file = Files.writeString(tmp.resolve("f"), "abc");
    var t = repo.addTarget(file, "dir/app.bin", UpdateFields.release("1").withSecurityVersion(7));
    assertTrue(Files.exists(repo.repositoryDir().resolve("targets/dir/" + t.hashes().get("sha256") + ".app.bin")));
    assertTrue(repo.publishedTargets().isEmpty(), "not published before publish()");
    repo.publish(Duration.ofDays(1));
    assertEquals(7, repo.publishedTargets().get("dir/app.bin").securityVersion());
    assertTrue(repo.removeTarget("targets", "dir/app.bin"));
    repo.publish(Duration.ofDays(1));
    assertTrue(repo.publishedTargets().isEmpty());
  }

  @Test
  void setThreshold_aboveKeyCount_rejected() {
    RepositoryPublisher repo = RepositoryPublisher.init(tmp.resolve("r"), KeyType.ED25519, Clock.systemUTC());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> repo.setThreshold("snapshot", 2));
    assertTrue(e.getMessage().contains("between 1 and 1 but was 2"), e.getMessage());
  }
}
