package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.tuf.Timeouts;
import org.edgesdk.ota.tuf.Transport;
import org.edgesdk.ota.tuf.TufClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install pipeline's failure paths: a fault in each stage (network, slot write, read-back,
 * checkpoint, TUF hash) stops the install with the same clear error, leaves the slot unbootable
 * and leaves no pipeline thread behind; a slot that reads back differently is never activated.
 */
class InstallPipelineTest {
  @TempDir Path dir;

  @AfterEach
  void noThreadLeft() {
    assertEquals(List.of(), pipelineThreads(), "no pipeline thread outlives the install");
  }

  /** The SDK's own install threads still alive (the transport's reader, the slot pipeline). */
  static List<String> pipelineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("edgesdk-ota-"))
        .sorted()
        .toList();
  }

  private static AbUpdater updater(AbFixture f, Transport transport, Consumer<String> step, SlotSink.Faults faults) {
    DeviceConfig c = f.config();
    TufClient client = TufClient.builder().transport(transport).trustedRoot(c.trustedRoot())
        .stateDirectory(c.stateDirectory().resolve("tuf")).build();
    return AbUpdater.builder(c).hostRoot(f.host).client(client).onStep(step).slotFaults(faults).build();
  }

  private static Transport real(AbFixture f) {
    return Transport.of(f.config().repository(), Timeouts.defaults());
  }

  private static TargetDescription target(AbUpdater u, String name) {
    return u.chooseTarget(Optional.of(name)).orElseThrow();
  }

  private static JsonNode state(AbFixture f) throws IOException {
    return new ObjectMapper().readTree(f.config().stateDirectory().resolve(PersistedState.FILE).toFile());
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, position);
      one.flip();
      one.put(0, (byte) (one.get(0) ^ 0x40));
      ch.write(one, position);
    }
  }

  /** A disk that fails every slot write at or after {@code position} with "No space left on device". */
  private static SlotSink.Faults diskFullFrom(long position) {
    return new SlotSink.Faults() {
      @Override
      public void beforeWrite(Path slot, long at, int length) throws IOException {
        if (at >= position) {
          throw new IOException("No space left on device");
        }
      }
    };
  }

  private static void assertSlotUnbootable(AbFixture f, AbUpdater u) throws IOException {
    assertFalse(u.bootControl().state("B").bootable(), "slot B stays unbootable");
    assertEquals(Optional.of("A"), u.bootControl().primary());
    assertEquals(UpdateState.DOWNLOADING, u.status().state());
    assertEquals("A", f.powerOn());
  }

  @Test
  void install_slotChangedAfterWrite_readBackMismatchSlotStaysUnbootable() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    AtomicBoolean corrupted = new AtomicBoolean();
    SlotSink.Faults bitRot = new SlotSink.Faults() {
      @Override
      public void afterForce(Path slot, long from, long to) throws IOException {
        if (from >= 4L << 20 && corrupted.compareAndSet(false, true)) {
          flipByte(slot, from + 12_345); // the device changed a forced byte of the second interval
        }
      }
    };
    AbUpdater u = updater(f, real(f), s -> {}, bitRot);
    EdgeException e = assertThrows(EdgeException.class, () -> u.install(target(u, "rootfs-2.img")));
    assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
    assertTrue(e.problem().contains("reads back bytes 4194304..5242880 with CRC32C"), e.problem());
    assertTrue(e.problem().contains(f.config().slots().get("B").toString()), e.problem());
    assertSlotUnbootable(f, u);
    assertTrue(state(f).path("checkpoint").isMissingNode(), "the next install rewrites the slot: " + state(f));
    assertEquals(0, state(f).path("offset").asLong());

    AbUpdater again = updater(f, real(f), s -> {}, SlotSink.Faults.NONE);
    again.install(target(again, "rootfs-2.img"));
    assertArrayEquals(v2, f.slot("B"));
  }

  @Test
  void install_lastIntervalChangedAfterFinalForce_readBackMismatch() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 6_000_000); // one checkpoint, then the tail read back after the final force
    f.publish("rootfs-2.img.gz", v2, "2.0", 1, true);
    AtomicInteger forces = new AtomicInteger();
    SlotSink.Faults bitRot = new SlotSink.Faults() {
      @Override
      public void afterForce(Path slot, long from, long to) throws IOException {
        if (forces.incrementAndGet() == 2) {
          flipByte(slot, to - 1);
        }
      }
    };
    List<String> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
    AbUpdater u = updater(f, real(f), steps::add, bitRot);
    EdgeException e = assertThrows(EdgeException.class, () -> u.install(target(u, "rootfs-2.img.gz")));
    assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
    assertEquals(2, forces.get());
    assertTrue(steps.contains("downloaded") && !steps.contains("written") && !steps.contains("verified"), steps.toString());
    assertSlotUnbootable(f, u);
  }

  @Test
  void install_overHttpSlotWriteFails_lentBuffersReturnedNoThreadLeftAndResumesByRange() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    SlotSink.Faults diskFull = diskFullFrom(5L << 20);
    try (org.edgesdk.ota.tuf.StaticServer server =
        new org.edgesdk.ota.tuf.StaticServer(f.repo.repositoryDir())) {
      // over HTTP an uncompressed target goes to the writer in the transport's own buffers
      Transport http = Transport.of(server.uri(), Timeouts.defaults());
      AbUpdater u = updater(f, http, s -> {}, diskFull);
      TargetDescription t = target(u, "rootfs-2.img");
      EdgeException e = assertThrows(EdgeException.class, () -> u.install(t));
      assertEquals(ErrorCode.IO_ERROR, e.code());
      assertTrue(e.problem().contains("No space left on device"), e.problem());
      assertSlotUnbootable(f, u);
      long checkpoint = state(f).path("offset").asLong(); // at the end of the chunk that reached 4 MiB
      assertTrue(checkpoint >= 4L << 20 && checkpoint < 5L << 20, "the checkpoint before the failure stays: " + checkpoint);
      assertEquals(List.of(), pipelineThreads(), "no pipeline thread outlives the failed install");

      AbUpdater again = updater(f, Transport.of(server.uri(), Timeouts.defaults()), s -> {}, SlotSink.Faults.NONE);
      again.install(target(again, "rootfs-2.img"));
      assertTrue(server.requests.get(server.requests.size() - 1).endsWith(" bytes=" + checkpoint + "-"),
          server.requests.toString());
      assertArrayEquals(v2, f.slot("B"));
    }
  }

  @Test
  @DisplayName("a slot stuck longer than the stall timeout (a slow flash write) delays the install but does not fail it")
  void install_overHttpSlotStallsPastTheStallTimeout_installs() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 24_000_000); // more than the transport's read-ahead ring
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
    SlotSink.Faults slowFlash = new SlotSink.Faults() {
      @Override
      public void beforeWrite(Path slot, long at, int length) {
        if (at >= 1L << 20 && stalled.compareAndSet(false, true)) {
          try {
            Thread.sleep(1200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    Timeouts stall300 = new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(60), 1024);
    try (org.edgesdk.ota.tuf.StaticServer server =
        new org.edgesdk.ota.tuf.StaticServer(f.repo.repositoryDir())) {
      AbUpdater u = updater(f, Transport.of(server.uri(), stall300), s -> {}, slowFlash);
      assertEquals("B", u.install(target(u, "rootfs-2.img")));
      assertTrue(stalled.get(), "the slot write stalled");
      assertArrayEquals(v2, f.slot("B"));
    }
  }

  @Test
  void install_slotWriteFails_ioErrorKeepsCheckpointAndResumes() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    SlotSink.Faults diskFull = diskFullFrom(5L << 20);
    StreamingInstallTest.CountingTransport first = new StreamingInstallTest.CountingTransport(real(f));
    AbUpdater u = updater(f, first, s -> {}, diskFull);
    TargetDescription t = target(u, "rootfs-2.img");
    EdgeException e = assertThrows(EdgeException.class, () -> u.install(t));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertTrue(e.problem().contains("No space left on device"), e.problem());
    assertTrue(e.problem().contains("into slot"), e.problem());
    assertSlotUnbootable(f, u);
    assertEquals(4L << 20, state(f).path("offset").asLong(), "the checkpoint before the failure stays");

    StreamingInstallTest.CountingTransport second = new StreamingInstallTest.CountingTransport(real(f));
    AbUpdater again = updater(f, second, s -> {}, SlotSink.Faults.NONE);
    again.install(target(again, "rootfs-2.img"));
    assertEquals(List.of(4L << 20), second.openedAt);
    assertEquals(t.length() - (4L << 20), second.targetBytes.get(), "only the bytes after the checkpoint");
    assertArrayEquals(v2, f.slot("B"));
  }

  @Test
  void install_networkFailsMidway_ioErrorResumesFetchingOnlyTheRest() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    Transport realTransport = real(f);
    AtomicLong delivered = new AtomicLong();
    Transport breaking = new Transport() {
      @Override
      public Optional<byte[]> fetch(String path, long maxLength) {
        return realTransport.fetch(path, maxLength);
      }

      @Override
      public void download(String path, long length, Path partial) {
        throw new AssertionError("streams, never downloads");
      }

      @Override
      public InputStream open(String path, long offset, long length) {
        return new FilterInputStream(realTransport.open(path, offset, length)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (delivered.get() >= 9_000_000) {
              throw new java.net.SocketException("Connection reset");
            }
            int n = super.read(b, off, (int) Math.min(len, 9_000_000 - delivered.get()));
            delivered.addAndGet(Math.max(n, 0));
            return n;
          }
        };
      }
    };
    AbUpdater u = updater(f, breaking, s -> {}, SlotSink.Faults.NONE);
    EdgeException e = assertThrows(EdgeException.class, () -> u.install(target(u, "rootfs-2.img")));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertTrue(e.problem().contains("Connection reset"), e.problem());
    assertSlotUnbootable(f, u);
    long checkpoint = state(f).path("offset").asLong();
    assertEquals(8L << 20, checkpoint, "both checkpoints before the failure were persisted");

    StreamingInstallTest.CountingTransport second = new StreamingInstallTest.CountingTransport(real(f));
    AbUpdater again = updater(f, second, s -> {}, SlotSink.Faults.NONE);
    again.install(target(again, "rootfs-2.img"));
    assertEquals(List.of(checkpoint), second.openedAt);
    assertEquals(v2.length - checkpoint, second.targetBytes.get());
    assertArrayEquals(v2, f.slot("B"));
  }

  @Test
  void install_checkpointFails_sameExceptionNoThreadLeft() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000);
    f.publish("rootfs-2.img.gz", v2, "2.0", 1, true);
    IllegalStateException boom = new IllegalStateException("state directory gone");
    AbUpdater u = updater(f, real(f), s -> {
      if (s.equals("write-progress")) {
        throw boom;
      }
    }, SlotSink.Faults.NONE);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> u.install(target(u, "rootfs-2.img.gz")));
    assertSame(boom, e, "the checkpointer's failure reaches the caller as it was");
    assertSlotUnbootable(f, u);
  }

  @Test
  void install_substitutedTarget_verificationFailedNoThreadLeft() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 9_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    Path stored;
    try (java.util.stream.Stream<Path> files = Files.list(f.repo.repositoryDir().resolve("targets"))) {
      stored = files.filter(p -> p.getFileName().toString().endsWith(".rootfs-2.img")).findFirst().orElseThrow();
    }
    byte[] evil = v2.clone();
    evil[100] ^= 1;
    Files.write(stored, evil);
    AbUpdater u = updater(f, real(f), s -> {}, SlotSink.Faults.NONE);
    EdgeException e = assertThrows(EdgeException.class, () -> u.install(target(u, "rootfs-2.img")));
    assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
    assertTrue(e.problem().contains("rootfs-2.img") && e.problem().contains("sha256"), e.problem());
    assertSlotUnbootable(f, u);
    assertTrue(state(f).path("checkpoint").isMissingNode());
  }

  @Test
  void install_gzipPrefixChangedWhileInterrupted_resumeRefusesAndNextInstallStartsOver() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000);
    f.publish("rootfs-2.img.gz", v2, "2.0", 4, true);
    AtomicInteger seen = new AtomicInteger();
    AbUpdater u = updater(f, real(f), s -> {
      if (s.equals("write-progress") && seen.incrementAndGet() == 2) {
        throw new StreamingInstallTest.Cut(s);
      }
    }, SlotSink.Faults.NONE);
    TargetDescription t = target(u, "rootfs-2.img.gz");
    assertThrows(StreamingInstallTest.Cut.class, () -> u.install(t));
    assertEquals(2, state(f).path("checkpoint").path("regions").size(), state(f).toString());
    flipByte(f.config().slots().get("B"), 100); // the prefix changed while the device was off

    AbUpdater resumed = updater(f, real(f), s -> {}, SlotSink.Faults.NONE);
    EdgeException e = assertThrows(EdgeException.class, () -> resumed.install(target(resumed, "rootfs-2.img.gz")));
    assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
    assertTrue(e.problem().contains("was written before the interruption"), e.problem());
    assertSlotUnbootable(f, resumed);

    StreamingInstallTest.CountingTransport third = new StreamingInstallTest.CountingTransport(real(f));
    AbUpdater again = updater(f, third, s -> {}, SlotSink.Faults.NONE);
    again.install(target(again, "rootfs-2.img.gz"));
    assertEquals(List.of(0L), third.openedAt, "started over");
    assertArrayEquals(v2, f.slot("B"));
  }
}
