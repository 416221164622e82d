package org.edgesdk.ota.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.repo.UpdateFields;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TufClient#openTarget}: a verified stream, resumable at a checkpoint with a Range request. */
class TargetStreamTest {
  private static final Timeouts SHORT =
      new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(2000), Duration.ofSeconds(10), 1024);

  @TempDir Path tmp;

  private byte[] content;
  private TestRepo repo;

  private void publish(int size) throws IOException {
    repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    content = new byte[size];
    new Random(7).nextBytes(content);
    Path image = Files.write(tmp.resolve("image"), content);
    repo.publisher.addTarget(image, "rootfs.img", UpdateFields.release("2.0"));
    repo.publish();
  }

  private TufClient client(URI base) {
    TufClient c = TufClient.builder().repository(base).timeouts(SHORT).trustedRoot(repo.read("1.root.json"))
        .stateDirectory(tmp.resolve("state")).clock(repo.clock).build();
    c.refresh();
    return c;
  }

  private static byte[] readAll(TargetStream s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[10_000];
    int n;
    while ((n = s.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @ParameterizedTest(name = "server honours Range: {0}")
  @ValueSource(booleans = {true, false})
  void openTarget_atCheckpointOverHttp_fetchesTheRestAndVerifiesTheWhole(boolean honourRange) throws Exception {
    publish(300_000);
    try (StaticServer server = new StaticServer(repo.publisher.repositoryDir())) {
      server.honourRange = honourRange;
      TufClient client = client(server.uri());
      TargetDescription t = client.target("rootfs.img").orElseThrow();
      TargetStream.Checkpoint cp;
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      try (TargetStream s = client.openTarget(t)) {
        byte[] buf = new byte[50_000];
        while (s.position() < 120_000) {
          int n = s.read(buf);
          head.write(buf, 0, n);
        }
        // the consumer used all but the last 1000 bytes of its last read
        cp = s.checkpoint(1000);
        assertEquals(s.position() - 1000, cp.offset());
        assertFalse(s.verified());
      }
      try (TargetStream s = client.openTarget(t, cp)) {
        byte[] rest = readAll(s);
        assertTrue(s.verified());
        byte[] whole = java.util.Arrays.copyOf(head.toByteArray(), (int) cp.offset() + rest.length);
        System.arraycopy(rest, 0, whole, (int) cp.offset(), rest.length);
        assertArrayEquals(content, whole);
      }
      String path = "/targets/" + t.hashes().get("sha256") + ".rootfs.img";
      assertEquals(List.of(path, path + " bytes=" + cp.offset() + "-"), server.requests.subList(server.requests.size() - 2, server.requests.size()));
    }
  }

  private static byte[] readChunks(TargetStream s, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TargetStream.Chunk c;
    while ((c = s.readChunk(max)) != null) {
      assertTrue(c.length() >= 1 && c.length() <= max, "chunk of " + c.length());
      out.write(c.array(), c.offset(), c.length());
      c.release();
      c.release(); // a second release does nothing
    }
    return out.toByteArray();
  }

  @ParameterizedTest(name = "resumed at a checkpoint, server honours Range: {0}")
  @ValueSource(booleans = {true, false})
  void readChunk_moreThanTheTransportsBuffersOverHttp_lentWithoutCopyReleasedAndVerified(boolean honourRange)
      throws Exception {
    publish(12 << 20); // more than the transport's ring of 8 MiB: only released buffers come back
    try (StaticServer server = new StaticServer(repo.publisher.repositoryDir())) {
      server.honourRange = honourRange;
      TufClient client = client(server.uri());
      TargetDescription t = client.target("rootfs.img").orElseThrow();
      TargetStream.Checkpoint cp;
      byte[] head;
      try (TargetStream s = client.openTarget(t)) {
        assertTrue(s.lendsChunks());
        TargetStream.Chunk c = s.readChunk(300_000);
        head = java.util.Arrays.copyOfRange(c.array(), c.offset(), c.offset() + c.length());
        c.release();
        assertThrows(IllegalArgumentException.class, () -> s.checkpoint(1)); // a chunk has no unconsumed bytes
        cp = s.checkpoint();
        assertEquals(head.length, cp.offset());
      }
      try (TargetStream s = client.openTarget(t, cp)) {
        byte[] rest = readChunks(s, 1 << 20);
        assertTrue(s.verified());
        byte[] whole = java.util.Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, whole, head.length, rest.length);
        assertArrayEquals(content, whole);
        assertEquals(null, s.readChunk(1)); // still at the end
      }
    }
  }

  @Test
  void readChunk_heldWhileTheRestStreams_itsBufferIsNotReused() throws Exception {
    publish(12 << 20);
    try (StaticServer server = new StaticServer(repo.publisher.repositoryDir())) {
      TufClient client = client(server.uri());
      try (TargetStream s = client.openTarget(client.target("rootfs.img").orElseThrow())) {
        TargetStream.Chunk held = s.readChunk(100_000);
        byte[] expected = java.util.Arrays.copyOf(content, held.length());
        readChunks(s, 1 << 20); // 12 MiB through the other buffers of the 8 MiB ring
        assertTrue(s.verified());
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(held.array(), held.offset(), held.offset() + held.length()));
        held.release();
      }
    }
  }

  @Test
  void readChunk_substitutedOverHttp_refusedAtTheEnd() throws Exception {
    publish(3 << 20);
    try (StaticServer server = new StaticServer(repo.publisher.repositoryDir())) {
      TufClient client = client(server.uri());
      TargetDescription t = client.target("rootfs.img").orElseThrow();
      Path stored = repo.publisher.repositoryDir().resolve("targets").resolve(t.hashes().get("sha256") + ".rootfs.img");
      byte[] evil = content.clone();
      evil[2 << 20] ^= 1;
      Files.write(stored, evil);
      try (TargetStream s = client.openTarget(t)) {
        RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> readChunks(s, 100_000));
        assertEquals(Refusal.SUBSTITUTED_TARGET, e.refusal());
        assertFalse(s.verified());
      }
    }
  }

  @Test
  void readChunk_transportThatDoesNotLend_illegalState() throws Exception {
    publish(1000);
    TufClient client = client(repo.publisher.repositoryDir().toUri()); // file:// reads a stream
    try (TargetStream s = client.openTarget(client.target("rootfs.img").orElseThrow())) {
      assertFalse(s.lendsChunks());
      assertThrows(IllegalStateException.class, () -> s.readChunk(10));
      assertThrows(IllegalArgumentException.class, () -> s.readChunk(0));
    }
  }

  @Test
  void openTarget_substitutedOverHttp_refusedAtTheEndNamingTarget() throws Exception {
    publish(100_000);
    try (StaticServer server = new StaticServer(repo.publisher.repositoryDir())) {
      TufClient client = client(server.uri());
      TargetDescription t = client.target("rootfs.img").orElseThrow();
      Path stored = repo.publisher.repositoryDir().resolve("targets").resolve(t.hashes().get("sha256") + ".rootfs.img");
      byte[] evil = content.clone();
      evil[50] ^= 1;
      Files.write(stored, evil);
      try (TargetStream s = client.openTarget(t)) {
        RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> readAll(s));
        assertEquals(Refusal.SUBSTITUTED_TARGET, e.refusal());
        assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
        assertTrue(e.problem().contains("rootfs.img"), e.problem());
        assertFalse(s.verified());
      }
    }
  }

  @Test
  void openTarget_longerThanListed_endlessData() throws Exception {
    publish(100_000);
    TufClient client = client(repo.publisher.repositoryDir().toUri());
    TargetDescription t = client.target("rootfs.img").orElseThrow();
    Path stored = repo.publisher.repositoryDir().resolve("targets").resolve(t.hashes().get("sha256") + ".rootfs.img");
    Files.write(stored, new byte[10], java.nio.file.StandardOpenOption.APPEND);
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> readAll(client.openTarget(t)));
    assertEquals(Refusal.ENDLESS_DATA, e.refusal());
  }

  @Test
  void openTarget_checkpointOfAnotherTarget_illegalArgument() throws Exception {
    publish(1000);
    TufClient client = client(repo.publisher.repositoryDir().toUri());
    TargetDescription t = client.target("rootfs.img").orElseThrow();
    assertThrows(IllegalArgumentException.class,
        () -> client.openTarget(t, new TargetStream.Checkpoint(10, java.util.Map.of("sha512", "00"))));
    assertThrows(IllegalArgumentException.class,
        () -> client.openTarget(t, new TargetStream.Checkpoint(5000, java.util.Map.of())));
  }

  @Test
  void openTargetReplay_resumedWithTheLocalPrefix_checkpointHoldsNoStateAndTheWholeVerifies() throws Exception {
    publish(300_000);
    TufClient client = client(repo.publisher.repositoryDir().toUri());
    TargetDescription t = client.target("rootfs.img").orElseThrow();
    TargetStream.Checkpoint cp;
    try (TargetStream s = client.openTarget(t, 0, java.io.InputStream.nullInputStream())) {
      byte[] buf = new byte[50_000];
      while (s.position() < 120_000) {
        s.read(buf);
      }
      cp = s.checkpoint();
    }
    assertTrue(cp.digestStates().isEmpty(), "a replay checkpoint is an offset only: " + cp);
    int at = (int) cp.offset();
    try (TargetStream s = client.openTarget(t, at, new java.io.ByteArrayInputStream(content, 0, at))) {
      byte[] rest = readAll(s);
      assertArrayEquals(java.util.Arrays.copyOfRange(content, at, content.length), rest);
      assertTrue(s.verified());
    }
  }

  @Test
  void openTargetReplay_localPrefixChanged_refusedNamingTheResume() throws Exception {
    publish(300_000);
    TufClient client = client(repo.publisher.repositoryDir().toUri());
    TargetDescription t = client.target("rootfs.img").orElseThrow();
    byte[] prefix = java.util.Arrays.copyOf(content, 100_000);
    prefix[5] ^= 1; // the slot's first part changed after the checkpoint
    try (TargetStream s = client.openTarget(t, 100_000, new java.io.ByteArrayInputStream(prefix))) {
      RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> readAll(s));
      assertEquals(Refusal.SUBSTITUTED_TARGET, e.refusal());
      assertTrue(e.getMessage().contains("local copy of the first 100000 bytes"), e.getMessage());
    }
  }

  @Test
  void openTargetReplay_prefixShorterThanOffset_illegalArgument() throws Exception {
    publish(300_000);
    TufClient client = client(repo.publisher.repositoryDir().toUri());
    TargetDescription t = client.target("rootfs.img").orElseThrow();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> client.openTarget(t, 100_000, new java.io.ByteArrayInputStream(content, 0, 40_000)));
    assertTrue(e.getMessage().contains("ends after 40000 of the checkpoint's 100000 bytes"), e.getMessage());
  }
}
