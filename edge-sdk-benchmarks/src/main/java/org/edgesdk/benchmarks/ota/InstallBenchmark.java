package org.edgesdk.benchmarks.ota;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.edgesdk.api.HostRoot;
import org.edgesdk.ota.ab.AbUpdater;
import org.edgesdk.ota.ab.DeviceConfig;
import org.edgesdk.ota.repo.RepositoryPublisher;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.KeyType;
import org.edgesdk.ota.tuf.TargetStream;
import org.edgesdk.ota.tuf.TufClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The A/B install pipeline against the physical limit measured in the same run.
 *
 * <ul>
 *   <li>{@code install}: {@link AbUpdater#chooseTarget} and {@link AbUpdater#install} of a target
 *       served by nginx on loopback (started from {@code @Setup}, stopped in {@code @TearDown}):
 *       TUF refresh, then the pipeline: download, TUF hash, write into a preallocated file slot,
 *       force and CRC32C read-back per checkpoint interval, checkpoints persisted, activation.
 *       Forked with {@code -Xmx64m}; the {@code @TearDown} prints the peak heap used by the install
 *       (the sum of the heap pools' peaks, reset after the setup).
 *   <li>{@code sha256InMemory}: the JDK's SHA-256 over the same bytes held in memory.
 *   <li>{@code ddFsync}: {@code dd if=IMAGE of=FILE bs=1M conv=fsync} on the same filesystem, run as a
 *       process.
 *   <li>Stages, to see where the install's time goes (not part of the limit):
 *       {@code downloadAndVerify} (the install without the slot: the TUF refresh and the verified
 *       target stream, each chunk released unwritten; the floor the network, nginx and SHA-256 set
 *       on this machine, since they share its cores with the install), {@code downloadUrlConnection} (the target from nginx through {@code HttpURLConnection} into
 *       a 1 MiB buffer, discarded), {@code downloadHttpClient} (the same through
 *       {@code java.net.http} as an {@code InputStream}), {@code readBackCrc32c} (the image file
 *       read into a direct buffer and CRC32C'd; it is in the page cache, as a just-forced slot is).
 * </ul>
 *
 * <p>Each operation handles the whole image once, so the mode is single-shot time (seconds per
 * operation; MB/s is the image size over it). The ratio that matters is install time to the slower
 * of the two baselines: {@code max(sha256InMemory, ddFsync) / install}, target at least 0.7.
 *
 * <p>Run: {@code java -jar edge-sdk-benchmarks/target/benchmarks.jar InstallBenchmark} (add
 * {@code -p sizeMiB=1024} for a 1 GiB image; {@code -Djava.io.tmpdir=DIR} chooses the filesystem).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class InstallBenchmark {
  private static final String TARGET = "rootfs.img";
  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private static final int MIB = 1 << 20;

  /** The image: random (incompressible) bytes in a file, in the page cache after the setup. */
  @State(Scope.Benchmark)
  public static class Image {
    /** Image size in MiB. */
    @Param({"256"})
    public int sizeMiB;

    Path dir;
    Path file;

    /**
     * Writes the image.
     *
     * @throws IOException if the temporary directory is not writable
     */
    @Setup(Level.Trial)
    public void write() throws IOException {
      dir = Files.createTempDirectory("install-bench");
      file = dir.resolve("image.raw");
      Random random = new Random(42);
      byte[] chunk = new byte[MIB];
      try (OutputStream out = Files.newOutputStream(file)) {
        for (int i = 0; i < sizeMiB; i++) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
    }

    /**
     * Deletes the image and everything else in its directory.
     *
     * @throws IOException if a file cannot be deleted
     */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** A device with file slots and the file boot backend, and its repository served by nginx. */
  @State(Scope.Benchmark)
  public static class Device {
    Path dir;
    Path config;
    Process nginx;
    URI imageUri;
    long imageLength;

    /**
     * Publishes the image, starts nginx and writes the device.
     *
     * @param image the image
     * @throws Exception if nginx does not start
     */
    @Setup(Level.Trial)
    public void start(Image image) throws Exception {
      if (!Files.isExecutable(NGINX)) {
        throw new IllegalStateException("needs nginx at " + NGINX + " (Debian package nginx)");
      }
      dir = Files.createDirectory(image.dir.resolve("device"));
      RepositoryPublisher repo = RepositoryPublisher.init(dir.resolve("repo"), KeyType.ED25519, Clock.systemUTC());
      repo.addTarget(image.file, TARGET, UpdateFields.release("2.0").withHardware(Set.of("bench")));
      repo.publish(Duration.ofDays(7));
      URI base = startNginx(repo.repositoryDir());
      Files.createLink(repo.repositoryDir().resolve("image.raw"), image.file);
      this.imageUri = base.resolve("image.raw");
      this.imageLength = Files.size(image.file);
      Files.write(dir.resolve("slot-a.img"), new byte[MIB]);
      // slot B is preallocated like a partition: the install overwrites it in place
      byte[] zeros = new byte[MIB];
      try (OutputStream out = Files.newOutputStream(dir.resolve("slot-b.img"))) {
        for (int i = 0; i < image.sizeMiB; i++) {
          out.write(zeros);
        }
      }
      Files.createDirectories(dir.resolve("host/proc"));
      config = Files.writeString(dir.resolve("device.json"), """
          {
            "compatible": "bench",
            "bootloader": {"backend": "file", "file": "bootvars", "attempts": 3},
            "slots": {"A": "slot-a.img", "B": "slot-b.img"},
            "stateDirectory": "state",
            "repository": "%s",
            "trustedRoot": "%s"
          }
          """.formatted(base, repo.repositoryDir().resolve("metadata/1.root.json")));
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /**
     * Puts the device back to before the install: booted from A, no update state, no TUF state.
     *
     * @throws IOException if a file cannot be written
     */
    @Setup(Level.Iteration)
    public void reset() throws IOException {
      Path state = dir.resolve("state");
      if (Files.exists(state)) {
        try (Stream<Path> files = Files.walk(state)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.deleteIfExists(dir.resolve("bootvars"));
      Files.writeString(dir.resolve("host/proc/cmdline"), "console=ttyS0 rauc.slot=A rw\n");
    }

    AbUpdater updater() {
      return AbUpdater.builder(DeviceConfig.load(config)).hostRoot(HostRoot.of(dir.resolve("host"))).build();
    }

    /**
     * Stops nginx and prints the peak heap of the fork (the install's, in the install fork).
     *
     * @param params the benchmark being run, named in the output
     * @throws InterruptedException if interrupted while waiting for nginx
     */
    @TearDown(Level.Trial)
    public void stop(org.openjdk.jmh.infra.BenchmarkParams params) throws InterruptedException {
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      long max = Runtime.getRuntime().maxMemory();
      String benchmark = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
      System.out.printf("%n%s peak heap: %.1f MiB (sum of heap pool peaks; max heap %d MiB)%n",
          benchmark, peak / (double) MIB, max / MIB);
      if (nginx != null) {
        nginx.destroy();
        if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
          nginx.destroyForcibly();
        }
      }
    }

    private URI startNginx(Path docroot) throws IOException, InterruptedException {
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      Path prefix = Files.createDirectory(dir.resolve("nginx"));
      // one foreground process as the benchmark's user, every path inside the temporary directory
      String conf = String.join("\n",
          "daemon off;",
          "master_process off;",
          "pid " + prefix.resolve("nginx.pid") + ";",
          "error_log " + prefix.resolve("error.log") + " warn;",
          "events { worker_connections 64; }",
          "http {",
          "  access_log off;",
          "  sendfile on;",
          "  client_body_temp_path " + prefix.resolve("body") + ";",
          "  proxy_temp_path " + prefix.resolve("proxy") + ";",
          "  fastcgi_temp_path " + prefix.resolve("fastcgi") + ";",
          "  uwsgi_temp_path " + prefix.resolve("uwsgi") + ";",
          "  scgi_temp_path " + prefix.resolve("scgi") + ";",
          "  server {",
          "    listen 127.0.0.1:" + port + ";",
          "    root " + docroot + ";",
          "  }",
          "}",
          "");
      Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
      nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-e",
          prefix.resolve("error.log").toString(), "-c", confFile.toString())
          .redirectErrorStream(true)
          .redirectOutput(prefix.resolve("stdout.log").toFile())
          .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return URI.create("http://127.0.0.1:" + port + "/");
        } catch (IOException notYet) {
          if (!nginx.isAlive()) {
            throw new IllegalStateException("nginx exited: " + Files.readString(prefix.resolve("error.log")), notYet);
          }
          Thread.sleep(50);
        }
      }
      throw new IllegalStateException("nginx did not listen on port " + port + " within 15 s");
    }
  }

  /** The image's bytes on the heap, for the in-memory hashing baseline. */
  @State(Scope.Benchmark)
  public static class Bytes {
    byte[] bytes;

    /**
     * Reads the image into memory.
     *
     * @param image the image
     * @throws IOException if the image cannot be read
     */
    @Setup(Level.Trial)
    public void read(Image image) throws IOException {
      bytes = Files.readAllBytes(image.file);
    }
  }

  /** The output file of the {@code dd} baseline, deleted before each operation. */
  @State(Scope.Benchmark)
  public static class DdTarget {
    Path out;

    /**
     * Deletes the previous output, so each {@code dd} writes a new file.
     *
     * @param image the image
     * @throws IOException if the file cannot be deleted
     */
    @Setup(Level.Iteration)
    public void reset(Image image) throws IOException {
      out = image.dir.resolve("dd.out");
      Files.deleteIfExists(out);
    }
  }

  /**
   * The install: TUF refresh, download, hash, write, fsync, read-back verification, activation.
   *
   * @param device the device
   * @return the slot written
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Xmx64m")
  public String install(Device device) {
    AbUpdater u = device.updater();
    return u.install(u.chooseTarget(Optional.of(TARGET)).orElseThrow());
  }

  /**
   * Baseline: SHA-256 over the image's bytes in memory.
   *
   * @param bytes the image's bytes
   * @return the digest
   * @throws NoSuchAlgorithmException never on a JDK
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Xmx1536m")
  public byte[] sha256InMemory(Bytes bytes) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(bytes.bytes);
  }

  /**
   * Baseline: {@code dd if=IMAGE of=FILE bs=1M conv=fsync} on the same filesystem.
   *
   * @param image the image
   * @param target the output file
   * @return dd's exit status (0)
   * @throws Exception if dd cannot run or fails
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Xmx64m")
  public int ddFsync(Image image, DdTarget target) throws Exception {
    Process dd = new ProcessBuilder(List.of("dd", "if=" + image.file, "of=" + target.out, "bs=1M", "conv=fsync",
        "status=none")).inheritIO().start();
    int status = dd.waitFor();
    if (status != 0) {
      throw new IllegalStateException("dd exited with " + status);
    }
    return status;
  }

  /**
   * Stage: the install without the slot, its floor on this machine: the same TUF refresh and
   * verified target stream in the mode the install opens it (replay mode: the JDK's SHA-256 on
   * the calling thread, beside the read-ahead fetch thread, its buffers lent), each chunk released
   * at once instead of written.
   *
   * @param device the device (its repository and nginx)
   * @return the bytes verified
   * @throws IOException if the transfer fails
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Xmx64m")
  public long downloadAndVerify(Device device) throws IOException {
    DeviceConfig config = DeviceConfig.load(device.config);
    TufClient client = TufClient.builder()
        .repository(config.repository())
        .trustedRoot(config.trustedRoot())
        .stateDirectory(config.stateDirectory().resolve("tuf"))
        .build();
    client.refresh();
    long total = 0;
    try (TargetStream in = client.openTarget(client.target(TARGET).orElseThrow(), 0, java.io.InputStream.nullInputStream())) {
      TargetStream.Chunk c;
      while ((c = in.readChunk(1 << 20)) != null) {
        total += c.length();
        c.release();
      }
      in.finish();
    }
    if (total != device.imageLength) {
      throw new IOException("verified " + total + " of the image's " + device.imageLength + " bytes");
    }
    return total;
  }

  /**
   * Stage: the image from nginx through {@code HttpURLConnection}, read into a 1 MiB buffer and
   * discarded.
   *
   * @param device the device (its nginx)
   * @return the bytes read
   * @throws IOException if the transfer fails
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Xmx64m")
  public long downloadUrlConnection(Device device) throws IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) device.imageUri.toURL().openConnection();
    try (java.io.InputStream in = c.getInputStream()) {
      return drain(in, device.imageLength);
    } finally {
      c.disconnect();
    }
  }

  /**
   * Stage: the image from nginx through {@code java.net.http}'s {@code InputStream} body handler,
   * read into a 1 MiB buffer and discarded.
   *
   * @param device the device (its nginx)
   * @return the bytes read
   * @throws Exception if the transfer fails
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Xmx64m")
  public long downloadHttpClient(Device device) throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<java.io.InputStream> r = client.send(
        java.net.http.HttpRequest.newBuilder(device.imageUri).build(),
        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.InputStream in = r.body()) {
      return drain(in, device.imageLength);
    }
  }

  private static long drain(java.io.InputStream in, long expected) throws IOException {
    byte[] buf = new byte[MIB];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
    }
    if (total != expected) {
      throw new IOException("received " + total + " of the image's " + expected + " bytes");
    }
    return total;
  }

  /**
   * Stage: the image file read back into a 1 MiB direct buffer and CRC32C'd (the install's
   * read-back check), from the page cache.
   *
   * @param image the image
   * @return the last block's CRC32C
   * @throws IOException if the file cannot be read
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Xmx64m")
  public long readBackCrc32c(Image image) throws IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(MIB);
    long crc = 0;
    try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(image.file)) {
      long pos = 0;
      int n;
      while ((n = in.read(buf.clear(), pos)) > 0) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(buf.flip());
        crc = c.getValue();
        pos += n;
      }
    }
    return crc;
  }
}
