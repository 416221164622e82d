package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.Compression;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.tuf.Timeouts;
import org.edgesdk.ota.tuf.Transport;
import org.edgesdk.ota.tuf.TufClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming install: the target flows from the repository through the TUF check, the
 * decompressor and the slot hash into the slot, with no staged copy; an interrupted install
 * resumes at its last checkpoint and fetches only the bytes after it (counted by a transport
 * that wraps the real one).
 */
class StreamingInstallTest {
  @TempDir Path dir;

  /** Counts the target bytes the repository delivered, and the offsets streams were opened at. */
  static final class CountingTransport implements Transport {
    final Transport real;
    final AtomicLong targetBytes = new AtomicLong();
    final java.util.List<Long> openedAt = new java.util.concurrent.CopyOnWriteArrayList<>();

    CountingTransport(Transport real) {
      this.real = real;
    }

    @Override
    public Optional<byte[]> fetch(String path, long maxLength) {
      return real.fetch(path, maxLength);
    }

    @Override
    public void download(String path, long length, Path partial) {
      throw new AssertionError("the install must stream, not download " + path + " to " + partial);
    }

    @Override
    public InputStream open(String path, long offset, long length) {
      openedAt.add(offset);
      return new FilterInputStream(real.open(path, offset, length)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            targetBytes.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            targetBytes.addAndGet(n);
          }
          return n;
        }
      };
    }
  }

  static final class Cut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cut(String step) {
      super("cut at " + step);
    }
  }

  private static AbUpdater updater(AbFixture f, CountingTransport t, Consumer<String> step) {
    DeviceConfig c = f.config();
    TufClient client = TufClient.builder().transport(t).trustedRoot(c.trustedRoot())
        .stateDirectory(c.stateDirectory().resolve("tuf")).build();
    return AbUpdater.builder(c).hostRoot(f.host).client(client).onStep(step).build();
  }

  private static CountingTransport counting(AbFixture f) {
    return new CountingTransport(Transport.of(f.config().repository(), Timeouts.defaults()));
  }

  private static Consumer<String> cutAt(String name, int occurrence) {
    AtomicInteger seen = new AtomicInteger();
    return step -> {
      if (step.equals(name) && seen.incrementAndGet() == occurrence) {
        throw new Cut(step);
      }
    };
  }

  private static JsonNode state(AbFixture f) throws IOException {
    return new ObjectMapper().readTree(f.config().stateDirectory().resolve(PersistedState.FILE).toFile());
  }

  private static TargetDescription target(AbUpdater u, String name) {
    return u.chooseTarget(Optional.of(name)).orElseThrow();
  }

  private void interruptedThenResumed_fetchesOnlyUnverifiedBytes(boolean gzip) throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000); // three gzip members, two checkpoints
    String name = gzip ? "rootfs-2.img.gz" : "rootfs-2.img";
    f.publish(name, v2, "2.0", 4, gzip);
    CountingTransport first = counting(f);
    AbUpdater u = updater(f, first, cutAt("write-progress", 2));
    TargetDescription t = target(u, name);
    assertThrows(Cut.class, () -> u.install(t));
    long checkpoint = state(f).path("checkpoint").path("fetched").asLong();
    assertTrue(checkpoint > 0, "a checkpoint was persisted: " + state(f));
    assertEquals(2 * AbUpdater.CHECKPOINT_EVERY, state(f).path("offset").asLong(), "written offset at checkpoint 2");

    CountingTransport second = counting(f);
    AbUpdater resumed = updater(f, second, s -> {});
    assertEquals(UpdateState.DOWNLOADING, resumed.status().state());
    assertEquals("B", resumed.install(target(resumed, name)));

    assertEquals(java.util.List.of(checkpoint), second.openedAt, "resumed at the checkpoint, with a Range from it");
    assertEquals(t.length() - checkpoint, second.targetBytes.get(),
        "only the bytes after the checkpoint are fetched again");
    assertTrue(second.targetBytes.get() < t.length(), "never the whole target again");
    assertArrayEquals(v2, f.slot("B"));
    assertEquals(UpdateState.INSTALLED, resumed.status().state());
    assertEquals(Optional.of("B"), resumed.status().primary());
  }

  @Test
  void install_uncompressedInterrupted_resumesFetchingOnlyTheRest() throws Exception {
    interruptedThenResumed_fetchesOnlyUnverifiedBytes(false);
  }

  @Test
  void install_gzipMembersInterrupted_resumesAtMemberBoundary() throws Exception {
    interruptedThenResumed_fetchesOnlyUnverifiedBytes(true);
  }

  @Test
  void install_singleMemberGzip_installsAndResumesFromStart() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000);
    f.publishSingleMemberGzip("rootfs-2.img.gz", v2, "2.0", 1);
    CountingTransport first = counting(f);
    AbUpdater u = updater(f, first, cutAt("downloaded", 1));
    TargetDescription t = target(u, "rootfs-2.img.gz");
    assertThrows(Cut.class, () -> u.install(t));
    assertTrue(state(f).path("checkpoint").isMissingNode(), "no member boundary inside: no checkpoint");

    CountingTransport second = counting(f);
    AbUpdater resumed = updater(f, second, s -> {});
    resumed.install(target(resumed, "rootfs-2.img.gz"));
    assertEquals(java.util.List.of(0L), second.openedAt, "a single-member gzip resumes from its start");
    assertEquals(t.length(), second.targetBytes.get());
    assertArrayEquals(v2, f.slot("B"));
  }

  @Test
  void install_noStagedCopy_stateDirectoryHoldsNoImage() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 6_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    AtomicLong biggestStateFile = new AtomicLong();
    Path stateDir = f.config().stateDirectory();
    AbUpdater u = f.updater(step -> {
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.filter(Files::isRegularFile).forEach(p -> {
          try {
            biggestStateFile.accumulateAndGet(Files.size(p), Math::max);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    f.installed(u, "rootfs-2.img");
    assertArrayEquals(v2, f.slot("B"));
    assertTrue(biggestStateFile.get() < 100_000, "no file of image size in the state directory at any step: "
        + biggestStateFile.get());
  }

  @Test
  void install_substitutedTarget_verificationFailedSlotStaysUnbootable() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 9_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    Path stored;
    try (Stream<Path> files = Files.list(f.repo.repositoryDir().resolve("targets"))) {
      stored = files.filter(p -> p.getFileName().toString().endsWith(".rootfs-2.img")).findFirst().orElseThrow();
    }
    byte[] evil = v2.clone();
    evil[8_500_000] ^= 1; // same length, one bit flipped after two checkpoints
    Files.write(stored, evil);
    AbUpdater u = f.updater(s -> {});
    EdgeException e = assertThrows(EdgeException.class, () -> f.installed(u, "rootfs-2.img"));
    assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
    assertTrue(e.problem().contains("rootfs-2.img"), e.problem());
    assertFalse(u.bootControl().state("B").bootable(), "the slot stays unbootable");
    assertEquals(Optional.of("A"), u.bootControl().primary());
    assertEquals(UpdateState.DOWNLOADING, u.status().state());
    assertTrue(state(f).path("checkpoint").isMissingNode(), "unverified progress is dropped");
    assertEquals("A", f.powerOn());
  }

  @Test
  void install_xz_installsWhenTheLibraryIsPresent() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(XzSupport.available(),
        "org.tukaani:xz is not readable by org.edgesdk.ota in this test run");
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 2_000_000);
    Path file = dir.resolve("rootfs-2.img.xz");
    try (OutputStream out = new org.tukaani.xz.XZOutputStream(Files.newOutputStream(file), new org.tukaani.xz.LZMA2Options(1))) {
      out.write(v2);
    }
    f.repo.addTarget(file, "rootfs-2.img.xz", AbFixture.fields("2.0", 1, Compression.XZ));
    f.repo.publish(Duration.ofDays(7));
    AbUpdater u = f.updater(s -> {});
    f.installed(u, "rootfs-2.img.xz");
    assertArrayEquals(v2, f.slot("B"));
  }

  @Test
  void install_zstd_unsupportedBeforeTouchingTheSlot() throws Exception {
    AbFixture f = new AbFixture(dir);
    Path file = Files.write(dir.resolve("rootfs-2.img.zst"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
    f.repo.addTarget(file, "rootfs-2.img.zst", AbFixture.fields("2.0", 1, Compression.ZSTD));
    f.repo.publish(Duration.ofDays(7));
    AbUpdater u = f.updater(s -> {});
    EdgeException e = assertThrows(EdgeException.class, () -> f.installed(u, "rootfs-2.img.zst"));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.problem().contains("zstd"), e.problem());
    assertEquals(UpdateState.IDLE, u.status().state());
  }

  @Test
  void install_format1StateWithStagedImage_restartsAndDeletesTheStagedCopy() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 1_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    Path stateDir = f.config().stateDirectory();
    Path staged = Files.createDirectories(stateDir.resolve("download")).resolve("ab.img");
    Files.write(staged, java.util.Arrays.copyOf(v2, 700_000));
    // what an SDK of format 1 left behind: downloading, 524288 bytes written, no checkpoint
    Files.writeString(stateDir.resolve(PersistedState.FILE), """
        {"format": 1, "state": "DOWNLOADING", "target": "rootfs-2.img", "version": "2.0", "securityVersion": 1,
         "slot": "B", "from": "A", "offset": 524288, "imageSha256": null, "imageLength": -1, "activated": false,
         "failed": [], "slots": {}}
        """);
    AbUpdater u = f.updater(s -> {});
    assertEquals(UpdateState.DOWNLOADING, u.status().state());
    f.installed(u, "rootfs-2.img");
    assertArrayEquals(v2, f.slot("B"));
    assertFalse(Files.exists(staged.getParent()), "the staged copy of format 1 is gone");
    assertEquals(2, state(f).path("format").asInt());
  }

  @Test
  void install_damagedCheckpoint_startsOverAndInstalls() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 10_000_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    AbUpdater u = f.updater(cutAt("write-progress", 1));
    TargetDescription t = target(u, "rootfs-2.img");
    assertThrows(Cut.class, () -> u.install(t));
    Path file = f.config().stateDirectory().resolve(PersistedState.FILE);
    Files.writeString(file, Files.readString(file).replaceAll("\"blocksCrc32c\" : \"[0-9a-f]+\"", "\"blocksCrc32c\" : \"zz\""));
    assertTrue(Files.readString(file).contains("\"zz\""), Files.readString(file));
    AbUpdater again = f.updater(s -> {});
    again.install(target(again, "rootfs-2.img"));
    assertArrayEquals(v2, f.slot("B"));
  }

  @Test
  void checkpointInterval_byTargetSize_fourMiBUpToASixteenthCappedAtSixteenMiB() {
    assertEquals(4L << 20, AbUpdater.checkpointInterval(20_000_000), "small targets: every 4 MiB");
    assertEquals(8L << 20, AbUpdater.checkpointInterval(128L << 20), "a sixteenth of 128 MiB");
    assertEquals(16L << 20, AbUpdater.checkpointInterval(256L << 20), "256 MiB: 16 fsyncs, not 64");
    assertEquals(16L << 20, AbUpdater.checkpointInterval(1L << 30), "capped: a power cut costs at most 16 MiB");
  }
}
