package org.edgesdk.linux.cpufreq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.edgesdk.linux.cpufreq.internal.AttributeWriter;
import org.edgesdk.linux.cpufreq.internal.Errno;
import org.edgesdk.linux.cpufreq.internal.WriteFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrnoTest {

  @TempDir Path dir;

  @Test
  void fromReason_strerrorTexts_mapToTheErrno() {
    assertEquals(Errno.EACCES, Errno.fromReason("Permission denied"));
    assertEquals(Errno.EPERM, Errno.fromReason("Operation not permitted"));
    assertEquals(Errno.EROFS, Errno.fromReason("Read-only file system"));
    assertEquals(Errno.EINVAL, Errno.fromReason("Invalid argument"));
    assertEquals(Errno.EBUSY, Errno.fromReason("Device or resource busy"));
    assertEquals(Errno.ENOENT, Errno.fromReason("No such file or directory"));
    assertEquals(Errno.OTHER, Errno.fromReason("Input/output error"));
    assertEquals(Errno.OTHER, Errno.fromReason(null));
  }

  @Test
  void files_existingAttribute_isOverwrittenWithTheValueAndANewline() throws Exception {
    Path file = Files.writeString(dir.resolve("scaling_governor"), "ondemand\n");
    AttributeWriter.files().write(file, "performance");
    assertEquals("performance\n", Files.readString(file));
  }

  @Test
  void files_missingAttribute_isEnoentAndNoFileIsCreated() {
    Path file = dir.resolve("energy_performance_preference");
    WriteFailure f = assertThrows(WriteFailure.class, () -> AttributeWriter.files().write(file, "power"));
    assertEquals(Errno.ENOENT, f.errno());
    assertEquals(file, f.file());
    assertTrue(Files.notExists(file));
  }

  @Test
  void files_directoryInsteadOfAttribute_isAFailureNotACrash() throws IOException {
    Path file = Files.createDirectory(dir.resolve("scaling_max_freq"));
    WriteFailure f = assertThrows(WriteFailure.class, () -> AttributeWriter.files().write(file, "1"));
    assertTrue(f.getMessage().contains("scaling_max_freq"), f.getMessage());
  }

  @Test
  void files_attributeWithoutWritePermission_isEacces() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")),
        "needs a non-root user: root writes files whatever their mode");
    Path file = Files.writeString(dir.resolve("scaling_governor"), "ondemand\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    WriteFailure f = assertThrows(WriteFailure.class, () -> AttributeWriter.files().write(file, "performance"));
    assertEquals(Errno.EACCES, f.errno());
  }
}
