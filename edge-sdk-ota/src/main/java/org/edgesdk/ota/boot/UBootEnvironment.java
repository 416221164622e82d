package org.edgesdk.ota.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * The U-Boot environment, read and written in pure Java in the format U-Boot and
 * {@code libubootenv} ({@code fw_printenv}, {@code fw_setenv}) use: a CRC32 (IEEE, little-endian)
 * over the data area, for redundant environments one flag byte, then {@code name=value\0} pairs
 * sorted by name and ending in an extra {@code \0}, zero-padded to the environment size:
 * byte for byte what {@code fw_setenv} writes over a previously valid or zeroed copy.
 *
 * <p>A redundant environment keeps two copies; the valid copy with the newer flag (incremented
 * modulo 256, as {@code libubootenv} does) is current, and a write goes to the other copy, so a
 * power cut during a write leaves the previous environment readable. A single environment is
 * rewritten in place and is only as power-safe as the storage below it.
 */
public final class UBootEnvironment implements Environment {
  private final FwEnvConfig config;

  /**
   * Creates an environment over the copies an {@code fw_env.config} names.
   *
   * @param config the copies
   */
  public UBootEnvironment(FwEnvConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
  }

  /**
   * Creates an environment from an {@code fw_env.config} file.
   *
   * @param fwEnvConfig the configuration file
   * @return the environment
   * @throws EdgeException {@code NOT_FOUND} or {@code IO_ERROR} if the file cannot be read,
   *     {@code CORRUPT_DATA} if it cannot be parsed
   */
  public static UBootEnvironment fromConfigFile(Path fwEnvConfig) {
    try {
      return new UBootEnvironment(FwEnvConfig.parse(Files.readString(fwEnvConfig), fwEnvConfig.toString()));
    } catch (NoSuchFileException e) {
      throw new EdgeException(ErrorCode.NOT_FOUND, fwEnvConfig + " does not exist",
          "create it with one line 'device offset size' per environment copy", e);
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read " + fwEnvConfig + ": " + e.getMessage(),
          "check the file's permissions", e);
    }
  }

  /**
   * Returns the copies this environment reads and writes.
   *
   * @return the configuration
   */
  public FwEnvConfig config() {
    return config;
  }

  private int headerSize() {
    return config.redundant() ? 5 : 4;
  }

  private record Image(int index, boolean valid, int flag, byte[] bytes) {}

  private Image load(int index) {
    FwEnvConfig.Copy copy = config.copies().get(index);
    byte[] bytes = new byte[copy.size()];
    try (FileChannel ch = FileChannel.open(copy.device(), StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      long pos = copy.offset();
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) {
          return new Image(index, false, 0, bytes);
        }
        pos += n;
      }
    } catch (NoSuchFileException e) {
      throw new EdgeException(ErrorCode.NOT_FOUND, "U-Boot environment device " + copy.device() + " does not exist",
          "check the device named in fw_env.config", e);
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR,
          "cannot read U-Boot environment at " + copy.device() + " offset " + copy.offset() + ": " + e.getMessage(),
          "check the device and the permissions (reading needs root on most devices)", e);
    }
    int stored = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    CRC32 crc = new CRC32();
    crc.update(bytes, headerSize(), bytes.length - headerSize());
    boolean valid = (int) crc.getValue() == stored;
    int flag = config.redundant() ? bytes[4] & 0xff : 0;
    return new Image(index, valid, flag, bytes);
  }

  private @Nullable Image current() {
    Image a = load(0);
    if (!config.redundant()) {
      return a.valid() ? a : null;
    }
    Image b = load(1);
    if (a.valid() && b.valid()) {
      return newer(a.flag(), b.flag()) ? a : b;
    }
    return a.valid() ? a : b.valid() ? b : null;
  }

  /** Whether flag {@code x} is newer than {@code y}, counting modulo 256 as libubootenv does. */
  private static boolean newer(int x, int y) {
    if (x == 0 && y == 0xff) {
      return true;
    }
    if (x == 0xff && y == 0) {
      return false;
    }
    return x >= y;
  }

  @Override
  public Map<String, String> read() {
    Image image = current();
    if (image == null) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA,
          "no U-Boot environment copy at " + config.copies() + " has a valid CRC32",
          "write a fresh environment (fw_setenv -f DEFAULTS, or BootControl with defaults)");
    }
    return parse(image.bytes(), headerSize());
  }

  /**
   * Returns whether any copy holds a valid environment.
   *
   * @return {@code true} if {@link #read()} would succeed
   */
  public boolean exists() {
    try {
      return current() != null;
    } catch (EdgeException e) {
      return false;
    }
  }

  static Map<String, String> parse(byte[] bytes, int start) {
    Map<String, String> vars = new LinkedHashMap<>();
    int i = start;
    while (i < bytes.length && bytes[i] != 0) {
      int end = i;
      while (end < bytes.length && bytes[end] != 0) {
        end++;
      }
      String pair = new String(bytes, i, end - i, StandardCharsets.UTF_8);
      int eq = pair.indexOf('=');
      if (eq > 0) {
        vars.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      i = end + 1;
    }
    return vars;
  }

  @Override
  public void write(Map<String, String> variables) {
    int target;
    int flag;
    if (config.redundant()) {
      Image cur = current();
      // With no valid copy, libubootenv takes copy 0 as current (whatever its flag byte holds) and
      // writes copy 1; we do the same so both tools agree on which copy is newer.
      Image base = cur == null ? load(0) : cur;
      target = 1 - base.index();
      flag = (base.flag() + 1) & 0xff;
    } else {
      target = 0;
      flag = 0;
    }
    FwEnvConfig.Copy copy = config.copies().get(target);
    byte[] image = encode(variables, copy.size(), config.redundant(), flag);
    try (FileChannel ch = FileChannel.open(copy.device(), StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(image);
      long pos = copy.offset();
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
      ch.force(true);
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR,
          "cannot write U-Boot environment at " + copy.device() + " offset " + copy.offset() + ": " + e.getMessage(),
          "check the device and the permissions (writing needs root on most devices)", e);
    }
  }

  /**
   * Encodes one environment copy.
   *
   * @param variables the variables, written sorted by name as U-Boot and libubootenv write them
   * @param size the copy's size in bytes
   * @param redundant whether to include the flag byte
   * @param flag the flag value for a redundant copy
   * @return exactly {@code size} bytes
   */
  static byte[] encode(Map<String, String> variables, int size, boolean redundant, int flag) {
    int header = redundant ? 5 : 4;
    byte[] image = new byte[size];
    int pos = header;
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(variables).entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("cannot store U-Boot variable '" + name + "'='" + value + "'");
      }
      byte[] pair = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
      if (pos + pair.length + 2 > size) {
        throw new IllegalArgumentException("variables do not fit into a U-Boot environment of " + size + " bytes");
      }
      System.arraycopy(pair, 0, image, pos, pair.length);
      image[pos + pair.length] = 0;
      pos += pair.length + 1;
    }
    image[pos] = 0;
    if (redundant) {
      image[4] = (byte) flag;
    }
    CRC32 crc = new CRC32();
    crc.update(image, header, size - header);
    ByteBuffer.wrap(image, 0, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    return image;
  }
}
