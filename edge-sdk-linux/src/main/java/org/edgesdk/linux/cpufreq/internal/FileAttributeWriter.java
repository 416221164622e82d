package org.edgesdk.linux.cpufreq.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes real files: opens the existing attribute and writes the value in one call. */
final class FileAttributeWriter implements AttributeWriter {
  static final FileAttributeWriter INSTANCE = new FileAttributeWriter();

  private FileAttributeWriter() {}

  @Override
  public void write(Path file, String value) throws WriteFailure {
    // sysfs takes one write(2) per value; never create a file that the kernel did not offer.
    ByteBuffer bytes = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII));
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (NoSuchFileException e) {
      throw new WriteFailure(file, Errno.ENOENT, "no such file", e);
    } catch (AccessDeniedException e) {
      Errno errno = Errno.fromReason(e.getReason());
      throw new WriteFailure(file, errno == Errno.OTHER ? Errno.EACCES : errno, "permission denied", e);
    } catch (FileSystemException e) {
      throw new WriteFailure(file, Errno.fromReason(e.getReason()), String.valueOf(e.getReason()), e);
    } catch (IOException e) {
      throw new WriteFailure(file, Errno.fromReason(e.getMessage()), String.valueOf(e.getMessage()), e);
    }
  }
}
