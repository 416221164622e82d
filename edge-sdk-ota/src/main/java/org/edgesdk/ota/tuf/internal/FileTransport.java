package org.edgesdk.ota.tuf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.tuf.Refusal;
import org.edgesdk.ota.tuf.RepositoryRefusedException;
import org.edgesdk.ota.tuf.Transport;

/** A repository on local media: a {@code file://} URI. */
public final class FileTransport implements Transport {
  private final Path base;

  /**
   * Creates the transport.
   *
   * @param base the repository's top directory
   */
  public FileTransport(Path base) {
    this.base = base.toAbsolutePath().normalize();
  }

  private Path resolve(String path) {
    Path file = base.resolve(path).normalize();
    if (!file.startsWith(base)) {
      throw new IllegalArgumentException("path escapes the repository: " + path);
    }
    return file;
  }

  @Override
  public Optional<byte[]> fetch(String path, long maxLength) {
    Path file = resolve(path);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxLength + 1));
      if (bytes.length > maxLength) {
        throw new RepositoryRefusedException(Refusal.ENDLESS_DATA,
            file + " is longer than the " + maxLength + " bytes allowed");
      }
      return Optional.of(bytes);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read " + file + " (" + e + ")",
          "check that the update medium is mounted and readable", e);
    }
  }

  @Override
  public void download(String path, long length, Path partial) {
    Path file = resolve(path);
    try {
      long have = Files.exists(partial) ? Files.size(partial) : 0;
      if (have > length) {
        Files.delete(partial);
        have = 0;
      }
      if (!Files.exists(file)) {
        throw new EdgeException(ErrorCode.NOT_FOUND, "the repository has no file " + file,
            "republish the repository; the metadata lists a target that is missing");
      }
      long size = Files.size(file);
      if (size > length) {
        throw new RepositoryRefusedException(Refusal.ENDLESS_DATA,
            file + " has " + size + " bytes but the metadata allows " + length);
      }
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        in.skipNBytes(have);
        in.transferTo(out);
      }
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot copy " + file + " to " + partial + " (" + e + ")",
          "check that the update medium is mounted and the destination is writable", e);
    }
  }

  @Override
  public InputStream open(String path, long offset, long length) {
    Transport.checkRange(offset, length);
    Path file = resolve(path);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      long size = channel.size();
      if (size > length) {
        throw new RepositoryRefusedException(Refusal.ENDLESS_DATA,
            file + " has " + size + " bytes but the metadata allows " + length);
      }
      channel.position(offset);
      return Channels.newInputStream(channel);
    } catch (NoSuchFileException e) {
      throw new EdgeException(ErrorCode.NOT_FOUND, "the repository has no file " + file,
          "republish the repository; the metadata lists a target that is missing", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read " + file + " (" + e + ")",
          "check that the update medium is mounted and readable", e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static void closeQuietly(@org.jspecify.annotations.Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was read; the open failure is what matters
      }
    }
  }
}
