package org.edgesdk.ota.tuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.internal.AtomicFiles;
import org.edgesdk.ota.tuf.internal.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The persisted trusted state and whole repositories of each key type. */
class ClientStateTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(KeyType.class)
  @DisplayName("test_keytype_and_scheme")
  void repositoryOfEachKeyType_refreshesAndDownloads(KeyType type) throws IOException {
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")), type);
    repo.addTarget("app.bin", "payload", UpdateFields.release("1"));
    repo.publish();
    TufClient client = repo.client(tmp.resolve("state"));
    client.refresh();
    client.download(client.target("app.bin").orElseThrow(), tmp.resolve("app.bin"));
    assertEquals("payload", Files.readString(tmp.resolve("app.bin")));
  }

  @Test
  void storedRoot_newerThanShipped_isUsed_afterRestart() throws IOException {
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    repo.publisher.rotateKeys("root", KeyType.ED25519);
    repo.publish();
    Path state = tmp.resolve("state");
    repo.client(state).refresh();
    // Remove 2.root.json from the repository: a new client must still trust root 2 from its state.
    Files.delete(repo.metadata("2.root.json"));
    repo.client(state).refresh();
    assertEquals(2, Json.parse(Files.readAllBytes(state.resolve("root.json")), "r").get("signed").get("version").asLong());
  }

  @Test
  void storedRoot_corrupt_fallsBackToTheShippedRoot() throws IOException {
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    Path state = tmp.resolve("state");
    repo.client(state).refresh();
    Files.writeString(state.resolve("root.json"), "{ torn");
    repo.publish();
    repo.client(state).refresh(); // the shipped root still anchors trust; the stored file is ignored
    assertTrue(Files.readString(state.resolve("timestamp.json")).contains("\"version\" : 2"));
    assertEquals(Files.readString(repo.metadata("1.root.json")), Files.readString(state.resolve("root.json")));
  }

  @Test
  void targets_beforeRefresh_isIllegalState() throws IOException {
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> repo.client(tmp.resolve("s")).targets());
    assertTrue(e.getMessage().contains("refresh()"), e.getMessage());
  }

  @Test
  void corruptSecurityFloor_isCorruptDataNamingTheFile() throws IOException {
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    Path state = Files.createDirectory(tmp.resolve("state"));
    Files.writeString(state.resolve("security-floor"), "lots");
    EdgeException e = assertThrows(EdgeException.class, () -> repo.client(state).securityFloor());
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().contains("security-floor holds 'lots'"), e.problem());
  }

  @Test
  void atomicWrite_replacesContent_leavesNoTemporaryFile() throws IOException {
    Path file = tmp.resolve("d/timestamp.json");
    AtomicFiles.write(file, "one".getBytes());
    AtomicFiles.write(file, "two".getBytes());
    assertEquals("two", Files.readString(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void atomicWrite_failingRename_keepsOldContent_noTemporaryFile() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Path target = Files.createDirectory(dir.resolve("timestamp.json")); // a non-empty directory cannot be replaced
    Files.writeString(target.resolve("inside"), "x");
    assertThrows(IOException.class, () -> AtomicFiles.write(target, "new".getBytes()));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "the temporary file must be removed");
    }
    assertEquals("x", Files.readString(target.resolve("inside")));
  }
}
