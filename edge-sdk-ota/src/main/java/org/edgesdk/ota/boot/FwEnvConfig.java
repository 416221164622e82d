package org.edgesdk.ota.boot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;

/**
 * The U-Boot environment locations of an {@code fw_env.config} file, as {@code libubootenv} reads
 * it: one line per copy, {@code device offset size [sector-size [sectors]]}, numbers decimal or
 * {@code 0x} hexadecimal, {@code #} starts a comment. Two lines describe a redundant environment.
 *
 * @param copies one or two copies, in file order
 */
public record FwEnvConfig(List<Copy> copies) {

  /**
   * One copy of the environment.
   *
   * @param device the device or file holding it
   * @param offset the byte offset of the copy in the device
   * @param size the environment size in bytes, CRC and flag included
   */
  public record Copy(Path device, long offset, int size) {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the offset is negative or the size is below 6 bytes
     */
    public Copy {
      if (offset < 0) {
        throw new IllegalArgumentException("offset must be >= 0 but was " + offset);
      }
      if (size < 6) {
        throw new IllegalArgumentException("environment size must be >= 6 but was " + size);
      }
    }
  }

  /**
   * Validates and copies the list.
   *
   * @throws IllegalArgumentException unless there are one or two copies of the same size
   */
  public FwEnvConfig {
    copies = List.copyOf(copies);
    if (copies.isEmpty() || copies.size() > 2) {
      throw new IllegalArgumentException("need one or two environment copies but got " + copies.size());
    }
    if (copies.size() == 2 && copies.get(0).size() != copies.get(1).size()) {
      throw new IllegalArgumentException("redundant copies differ in size: " + copies);
    }
  }

  /**
   * Returns whether the environment is redundant (two copies, each with a flag byte).
   *
   * @return {@code true} for two copies
   */
  public boolean redundant() {
    return copies.size() == 2;
  }

  /**
   * Parses the text of an {@code fw_env.config} file.
   *
   * @param text the file's content
   * @param source the file's name, for error messages
   * @return the configuration
   * @throws EdgeException {@code CORRUPT_DATA} naming the line that cannot be parsed
   */
  public static FwEnvConfig parse(String text, String source) {
    List<Copy> copies = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      try {
        if (f.length < 3) {
          throw new IllegalArgumentException("expected 'device offset size [sector-size [sectors]]'");
        }
        long size = number(f[2]);
        if (size > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("size " + f[2] + " is too large");
        }
        copies.add(new Copy(Path.of(f[0]), number(f[1]), (int) size));
      } catch (IllegalArgumentException e) {
        throw new EdgeException(ErrorCode.CORRUPT_DATA,
            source + " line " + (i + 1) + " '" + lines[i].strip() + "': " + e.getMessage(),
            "write each copy as 'device offset size', for example '/dev/mmcblk0 0x3f8000 0x4000'");
      }
      if (copies.size() > 2) {
        throw new EdgeException(ErrorCode.CORRUPT_DATA,
            source + " lists more than two environment copies",
            "keep one line for a single environment or two for a redundant one");
      }
    }
    if (copies.isEmpty()) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, source + " lists no environment copy",
          "add a line 'device offset size', for example '/dev/mmcblk0 0x3f8000 0x4000'");
    }
    try {
      return new FwEnvConfig(copies);
    } catch (IllegalArgumentException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, source + ": " + e.getMessage(),
          "give both copies the same size");
    }
  }

  private static long number(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    try {
      return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a decimal or 0x number", e);
    }
  }
}
