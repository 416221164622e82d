package org.edgesdk.ota.tuf.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * The trusted metadata persisted on the device: one file per role in a state directory, replaced
 * atomically. Changes are staged and committed together once a whole refresh has been verified, so
 * a refused repository leaves the directory as it was.
 */
public final class TrustedState {
  /** The file holding the device's anti-rollback floor (a decimal security version). */
  public static final String FLOOR_FILE = "security-floor";

  private final Path dir;
  private final Map<String, byte @Nullable []> staged = new LinkedHashMap<>();

  /**
   * Opens a state directory.
   *
   * @param dir the directory; created on the first commit
   */
  public TrustedState(Path dir) {
    this.dir = dir;
  }

  /**
   * Returns the directory.
   *
   * @return the state directory
   */
  public Path dir() {
    return dir;
  }

  /**
   * Reads a committed file.
   *
   * @param name the file name, for example {@code timestamp.json}
   * @return its bytes, or empty if it does not exist
   */
  public Optional<byte[]> read(String name) {
    try {
      return Optional.of(Files.readAllBytes(dir.resolve(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read " + dir.resolve(name) + " (" + e + ")",
          "check the permissions of the update state directory " + dir, e);
    }
  }

  /**
   * Stages a file to write at the next commit.
   *
   * @param name the file name
   * @param bytes the content
   */
  public void stage(String name, byte[] bytes) {
    staged.put(name, bytes.clone());
  }

  /**
   * Stages a file's deletion.
   *
   * @param name the file name
   */
  public void stageDelete(String name) {
    staged.put(name, null);
  }

  /** Forgets every staged change. */
  public void discard() {
    staged.clear();
  }

  /** Writes every staged change, each file atomically, in the order staged. */
  public void commit() {
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, byte @Nullable []> e : staged.entrySet()) {
        byte[] bytes = e.getValue();
        if (bytes == null) {
          AtomicFiles.delete(dir.resolve(e.getKey()));
        } else {
          AtomicFiles.write(dir.resolve(e.getKey()), bytes);
        }
      }
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot write the trusted metadata in " + dir + " (" + e + ")",
          "check that " + dir + " is writable and its file system has space", e);
    } finally {
      staged.clear();
    }
  }

  /**
   * Returns the stored anti-rollback floor.
   *
   * @return the floor, 0 if none is stored
   */
  public long floor() {
    Optional<byte[]> bytes = read(FLOOR_FILE);
    if (bytes.isEmpty()) {
      return 0;
    }
    String text = new String(bytes.get(), StandardCharsets.US_ASCII).strip();
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException("negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA,
          dir.resolve(FLOOR_FILE) + " holds '" + text + "', expected a non-negative decimal integer",
          "restore the file from the device's backup; never lower it by hand", e);
    }
  }

  /**
   * Raises the stored floor; never lowers it.
   *
   * @param floor the new floor
   */
  public void raiseFloor(long floor) {
    if (floor > floor()) {
      stage(FLOOR_FILE, (floor + "\n").getBytes(StandardCharsets.US_ASCII));
      commit();
    }
  }
}
