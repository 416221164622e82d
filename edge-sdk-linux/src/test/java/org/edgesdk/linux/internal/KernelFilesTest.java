package org.edgesdk.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelFilesTest {

  @TempDir Path dir;

  @Test
  void readTrimmed_kernelNewline_isStripped() throws IOException {
    Path file = Files.writeString(dir.resolve("scaling_governor"), "schedutil\n");
    assertEquals(Optional.of("schedutil"), KernelFiles.readTrimmed(file));
    assertEquals(Optional.of("schedutil\n"), KernelFiles.readRaw(file));
  }

  @Test
  void readTrimmed_missingFileOrParent_isEmpty() throws IOException {
    assertEquals(Optional.empty(), KernelFiles.readTrimmed(dir.resolve("absent")));
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    assertEquals(Optional.empty(), KernelFiles.readTrimmed(notADirectory.resolve("child")));
  }

  @Test
  void readTrimmed_directory_isIoErrorNamingTheFile() {
    EdgeException e = assertThrows(EdgeException.class, () -> KernelFiles.readTrimmed(dir));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertTrue(e.problem().contains(dir.toString()), e.problem());
  }

  @Test
  void readTrimmed_oversizedFile_isRefused() throws IOException {
    Path big = dir.resolve("big");
    Files.write(big, new byte[(1 << 20) + 1]);
    EdgeException e = assertThrows(EdgeException.class, () -> KernelFiles.readTrimmed(big));
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
  }

  @Test
  void readTrimmed_unreadableFile_isPermissionDeniedWithRemedy() throws IOException {
    assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "needs a non-root user: root reads files whatever their mode");
    Path file = Files.writeString(dir.resolve("cpuinfo_cur_freq"), "1500000\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    EdgeException e = assertThrows(EdgeException.class, () -> KernelFiles.readTrimmed(file));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.remedy().contains("root"), e.remedy());
  }

  @Test
  void readTrimmed_sysctlIntegerFile_readWhole() throws IOException {
    // proc_dointvec answers EOF to any read at a non-zero offset: the value must come in one read.
    Path file = Path.of("/proc/sys/kernel/sched_rt_period_us");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(file), "needs procfs with " + file);
    byte[] buffer = new byte[4096];
    int n;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      n = in.read(buffer);
    }
    String expected = new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
    assertTrue(expected.length() > 1, expected);
    assertEquals(Optional.of(expected), KernelFiles.readTrimmed(file));
  }
}
