package org.edgesdk.ota.tuf.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gzip as independent members: what we write the real tools read; what they write we read. */
class GzipMembersTest {
  @TempDir Path dir;

  private static byte[] data(int size) {
    byte[] b = new byte[size];
    Random r = new Random(size);
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + r.nextInt(6)); // compressible, like a file system image
    }
    return b;
  }

  private static byte[] members(byte[] data, int memberSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(data.length, GzipMembers.write(new ByteArrayInputStream(data), out, memberSize, 6));
    return out.toByteArray();
  }

  /** Decodes everything, recording the output offsets where the reader stood at a boundary. */
  private static byte[] decode(byte[] gz, List<Long> boundaries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GzipMembers.Reader r = new GzipMembers.Reader(new ByteArrayInputStream(gz), "test")) {
      byte[] buf = new byte[100_000];
      int n;
      while ((n = r.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (r.atBoundary()) {
          boundaries.add((long) out.size());
        }
      }
    }
    return out.toByteArray();
  }

  private static byte[] run(@org.jspecify.annotations.Nullable Path input, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (input != null) {
      pb.redirectInput(input.toFile());
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + new String(out, java.nio.charset.StandardCharsets.UTF_8));
    return out;
  }

  @Test
  void write_members_realGzipTestAndZcatAccept() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gzip")) && Files.isExecutable(Path.of("/usr/bin/zcat")),
        "needs gzip and zcat (Debian package gzip)");
    byte[] data = data(2_500_000);
    Path gz = Files.write(dir.resolve("image.gz"), members(data, 1 << 20));
    run(gz, "/usr/bin/gzip", "-t");
    assertArrayEquals(data, run(gz, "/usr/bin/zcat"));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertArrayEquals(data, in.readAllBytes(), "the JDK reads the members as one stream too");
    }
  }

  @Test
  void read_ourMembers_boundaryAfterEachMember() throws Exception {
    byte[] data = data(2_500_000);
    List<Long> boundaries = new ArrayList<>();
    assertArrayEquals(data, decode(members(data, 1 << 20), boundaries));
    assertEquals(List.of(1L << 20, 2L << 20, 2_500_000L), boundaries);
  }

  @Test
  void read_realGzipOutputConcatenated_twoMembersWithNames() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gzip")), "needs gzip (Debian package gzip)");
    byte[] a = data(300_000);
    byte[] b = data(200_000);
    Path fa = Files.write(dir.resolve("a.img"), a);
    Path fb = Files.write(dir.resolve("b.img"), b);
    // gzip FILE stores the name (FNAME flag); cat of two gzip files is one valid gzip file
    byte[] gz = concat(run(null, "/usr/bin/gzip", "-c", "-N", "-9", fa.toString()), run(fb, "/usr/bin/gzip", "-c"));
    List<Long> boundaries = new ArrayList<>();
    assertArrayEquals(concat(a, b), decode(gz, boundaries));
    assertEquals(List.of(300_000L, 500_000L), boundaries);
  }

  @Test
  void read_jdkSingleMember_oneBoundaryAtTheEnd() throws Exception {
    byte[] data = data(1_000_000);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(data);
    }
    List<Long> boundaries = new ArrayList<>();
    assertArrayEquals(data, decode(gz.toByteArray(), boundaries));
    assertEquals(List.of(1_000_000L), boundaries);
  }

  @Test
  void read_corruptCrc_zipExceptionNamingMember() throws Exception {
    byte[] gz = members(data(300_000), 100_000);
    // the second member's trailer CRC: find its end by decoding the first member's length
    gz[gz.length - 8] ^= 1; // last member's CRC
    ZipException e = assertThrows(ZipException.class, () -> decode(gz, new ArrayList<>()));
    assertTrue(e.getMessage().contains("CRC") && e.getMessage().contains("member 3"), e.getMessage());
  }

  @Test
  void read_truncated_zipException() throws Exception {
    byte[] gz = members(data(300_000), 100_000);
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length - 20);
    assertThrows(ZipException.class, () -> decode(cut, new ArrayList<>()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
