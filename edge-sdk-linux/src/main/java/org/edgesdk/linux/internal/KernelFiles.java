package org.edgesdk.linux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Optional;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;

/**
 * Reads small kernel-provided text files (sysfs, procfs) the way the SDK needs them: a missing file is
 * an absent value, not an error; a file the process may not read is an {@link EdgeException} naming
 * the file and the privilege it needs; other I/O failures name the file and the errno text.
 */
public final class KernelFiles {
  /** Sysfs attributes are at most one page; procfs files the SDK reads are far below this. */
  private static final long MAX_BYTES = 1 << 20;

  private KernelFiles() {}

  /**
   * Reads a file as UTF-8 text with surrounding white space (including the kernel's trailing
   * newline) removed.
   *
   * @param file the file to read
   * @return the text, or empty if the file (or a parent directory) does not exist
   * @throws EdgeException with {@link ErrorCode#PERMISSION_DENIED} if the file may not be read, or
   *     {@link ErrorCode#IO_ERROR} for any other failure
   */
  public static Optional<String> readTrimmed(Path file) {
    return readRaw(file).map(String::strip);
  }

  /**
   * Reads a file as UTF-8 text exactly as the kernel wrote it.
   *
   * @param file the file to read
   * @return the text, or empty if the file (or a parent directory) does not exist
   * @throws EdgeException with {@link ErrorCode#PERMISSION_DENIED} if the file may not be read, or
   *     {@link ErrorCode#IO_ERROR} for any other failure
   */
  public static Optional<String> readRaw(Path file) {
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
        throw new EdgeException(
            ErrorCode.CORRUPT_DATA,
            "file " + file + " is larger than " + MAX_BYTES + " bytes, which no kernel attribute is",
            "check that --root points at a copy of / and not at a data directory");
      }
      // One large read first: procfs/sysfs files report size 0, and Files.readString then reads one
      // byte and continues at offset 1, where sysctl integer files (proc_dointvec) answer EOF, so
      // /proc/sys/kernel/sched_rt_runtime_us read as "9" instead of "950000".
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes((int) MAX_BYTES);
        // strict decoding, as Files.readString: malformed UTF-8 is an error, not replacement characters
        return Optional.of(StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)).toString());
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    } catch (AccessDeniedException e) {
      throw new EdgeException(
          ErrorCode.PERMISSION_DENIED,
          "cannot read " + file + ": permission denied",
          "run as root or grant the process read access to this file",
          e);
    } catch (FileSystemException e) {
      if ("Not a directory".equals(e.getReason())) {
        return Optional.empty(); // ENOTDIR: a parent is a file, so this file cannot exist
      }
      throw ioError(file, e);
    } catch (IOException e) {
      throw ioError(file, e);
    }
  }

  private static EdgeException ioError(Path file, IOException e) {
    return new EdgeException(
        ErrorCode.IO_ERROR,
        "cannot read " + file + ": " + e.getMessage(),
        "check that the file exists and is readable; sysfs files may fail while a device resets",
        e);
  }
}
