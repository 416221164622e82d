package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.edgesdk.api.ota.Compression;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Constant memory: a child JVM with {@code -Xmx64m} streams a large image into a file slot: an
 * uncompressed one from a {@code file://} repository, a gzip-compressed one over HTTP from nginx
 * (from {@code file://} where nginx is not installed). The normal suite installs
 * 256 MiB; {@code -Dedgesdk.ota.bigImageMiB=1024} runs the 1 GiB case.
 */
class ConstantMemoryTest {
  /** The image size in MiB: 256 unless the system property says otherwise. */
  static final int MIB = Integer.getInteger("edgesdk.ota.bigImageMiB", 256);

  @TempDir Path dir;

  /** Writes a deterministic image (one sector in four random, the rest repetitive) and returns its SHA-256. */
  static String writeImage(Path file, long mib) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[1 << 20];
    Random r = new Random(42);
    byte[] pattern = new byte[64];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long m = 0; m < mib; m++) {
        for (int sector = 0; sector < 256; sector++) {
          int at = sector * 4096;
          if (sector % 4 == 0) {
            byte[] rnd = new byte[4096];
            r.nextBytes(rnd);
            System.arraycopy(rnd, 0, chunk, at, 4096);
          } else {
            r.nextBytes(pattern);
            for (int i = 0; i < 4096; i += 64) {
              System.arraycopy(pattern, 0, chunk, at + i, 64);
            }
          }
        }
        sha.update(chunk);
        out.write(chunk);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"none", "gzip"})
  void install_bigImageWithXmx64m_slotHoldsTheImage(String compression) throws Exception {
    // the gzip image streams over HTTP from nginx where it is installed (else from file://)
    boolean http = compression.equals("gzip") && org.edgesdk.ota.tuf.Nginx.AVAILABLE;
    String variant = compression + (http ? " over nginx" : " from file://");
    AbFixture f = new AbFixture(dir);
    Path raw = dir.resolve("big.img");
    String expected = writeImage(raw, MIB);
    String name = compression.equals("gzip") ? "big.img.gz" : "big.img";
    f.repo.addImage("targets", raw, name, AbFixture.fields("9.0", 1, Compression.fromMetadataName(compression)));
    f.repo.publish(Duration.ofDays(7));
    Files.delete(raw);
    org.edgesdk.ota.tuf.Nginx nginx = null;
    if (http) {
      nginx = org.edgesdk.ota.tuf.Nginx.start(f.repo.repositoryDir(), dir.resolve("nginx"));
      Files.writeString(f.configFile, Files.readString(f.configFile)
          .replace("\"repository\": \"repo/repository\"", "\"repository\": \"" + nginx.uri() + "\""));
    }
    try {
      runChild(f, name, expected, variant);
      if (nginx != null) {
        List<String> log = nginx.accessLog();
        assertTrue(log.stream().anyMatch(l -> l.contains(name + " HTTP/1.1\" 200 ")), "streamed over HTTP: " + log);
      }
    } finally {
      if (nginx != null) {
        nginx.close();
      }
    }
  }

  private void runChild(AbFixture f, String name, String expected, String variant) throws Exception {

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx64m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(childClassPath());
    cmd.add(InstallChild.class.getName());
    cmd.add(f.configFile.toString());
    cmd.add(dir.resolve("host").toString());
    cmd.add(name);
    Path err = dir.resolve("child.err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "child finished");
    String errText = read(err);
    assertEquals(0, p.exitValue(), () -> "child failed: " + out + "\n" + errText);
    assertTrue(out.startsWith("slot=B maxHeap="), out);
    long maxHeap = Long.parseLong(out.replaceAll(".*maxHeap=(\\d+).*", "$1"));
    assertTrue(maxHeap <= 64L << 20, "the child ran with at most 64 MiB of heap: " + out);
    System.out.println("ConstantMemoryTest " + variant + " " + MIB + " MiB: " + out);
    assertEquals((long) MIB << 20, Files.size(f.config().slots().get("B")));
    assertEquals(expected, sha256(f.config().slots().get("B")));
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** The module path and class path of this test JVM, plus the test and main classes. */
  static String childClassPath() {
    List<String> entries = new ArrayList<>();
    Path base = Path.of(System.getProperty("basedir", "."));
    entries.add(base.resolve("target/test-classes").toString());
    entries.add(base.resolve("target/classes").toString());
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      for (String e : System.getProperty(property, "").split(File.pathSeparator)) {
        if (!e.isBlank() && !entries.contains(e)) {
          entries.add(e);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
