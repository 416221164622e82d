package org.edgesdk.linux.posture.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.internal.KernelFiles;
import org.jspecify.annotations.Nullable;

/**
 * One file read for the posture report: its text, or that it is missing, or why it could not be
 * read. A posture report never fails as a whole because one file is unreadable: the field it feeds
 * becomes unknown with {@link #failure()} as the reason.
 *
 * @param path the path as the device names it, for example {@code /sys/fs/selinux/enforce}
 * @param text the content exactly as read, or {@code null} when missing or unreadable
 * @param failure why the file could not be read, or {@code null}
 */
public record Probe(String path, @Nullable String text, @Nullable String failure) {
  private static final int MAX_BINARY = 4096;

  /**
   * Creates a probe.
   *
   * @param path the path as the device names it
   * @param text the content
   * @param failure why the file could not be read
   */
  public Probe {
    Objects.requireNonNull(path, "path");
  }

  /**
   * Reads a text file below {@code root}.
   *
   * @param root the directory standing in for {@code /}
   * @param systemPath the file as the device names it
   * @return the probe; never throws for I/O or permission problems
   */
  public static Probe read(HostRoot root, String systemPath) {
    try {
      Optional<String> text = KernelFiles.readRaw(root.resolve(systemPath));
      return new Probe(systemPath, text.orElse(null), null);
    } catch (EdgeException e) {
      return new Probe(systemPath, null, e.problem());
    }
  }

  /**
   * Reads a small binary file (an EFI variable) below {@code root}.
   *
   * @param root the directory standing in for {@code /}
   * @param systemPath the file as the device names it
   * @return the bytes, empty when missing; a string reason when unreadable (as {@link #failure()})
   */
  public static BinaryProbe readBytes(HostRoot root, String systemPath) {
    Path file = root.resolve(systemPath);
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_BINARY) {
        return new BinaryProbe(systemPath, null,
            systemPath + " is " + Files.size(file) + " bytes, more than an EFI variable holds");
      }
      return new BinaryProbe(systemPath, Files.readAllBytes(file), null);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return new BinaryProbe(systemPath, null, null);
    } catch (AccessDeniedException e) {
      return new BinaryProbe(systemPath, null, "cannot read " + systemPath + ": permission denied");
    } catch (FileSystemException e) {
      if ("Not a directory".equals(e.getReason())) {
        return new BinaryProbe(systemPath, null, null);
      }
      return new BinaryProbe(systemPath, null, "cannot read " + systemPath + ": " + e.getMessage());
    } catch (IOException e) {
      return new BinaryProbe(systemPath, null, "cannot read " + systemPath + ": " + e.getMessage());
    }
  }

  /**
   * Returns whether the file was read.
   *
   * @return {@code true} when {@link #text()} holds the content
   */
  public boolean present() {
    return text != null;
  }

  /**
   * Returns whether the file does not exist (as opposed to existing but being unreadable).
   *
   * @return {@code true} when missing
   */
  public boolean missing() {
    return text == null && failure == null;
  }

  /**
   * Returns the content without surrounding white space.
   *
   * @return the trimmed text, or empty when not read
   */
  public Optional<String> trimmed() {
    return Optional.ofNullable(text).map(String::strip);
  }

  /**
   * Returns why the value is unknown: the failure, or that the file is missing.
   *
   * @return a reason a person can read
   */
  public String whyUnknown() {
    return failure != null ? failure : path + " is missing";
  }

  /**
   * A binary file read.
   *
   * @param path the path as the device names it
   * @param bytes the content, or {@code null} when missing or unreadable
   * @param failure why it could not be read, or {@code null}
   */
  public record BinaryProbe(String path, byte @Nullable [] bytes, @Nullable String failure) {
    /**
     * Creates a probe.
     *
     * @param path the path as the device names it
     * @param bytes the content
     * @param failure why it could not be read
     */
    public BinaryProbe {
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * Returns whether a path exists below {@code root} (file, directory or device node).
   *
   * @param root the directory standing in for {@code /}
   * @param systemPath the path as the device names it
   * @return {@code true} if it exists
   */
  public static boolean exists(HostRoot root, String systemPath) {
    return Files.exists(root.resolve(systemPath));
  }

  /**
   * Returns whether a directory exists below {@code root}.
   *
   * @param root the directory standing in for {@code /}
   * @param systemPath the path as the device names it
   * @return {@code true} if it is a directory
   */
  public static boolean isDirectory(HostRoot root, String systemPath) {
    return Files.isDirectory(root.resolve(systemPath));
  }
}
