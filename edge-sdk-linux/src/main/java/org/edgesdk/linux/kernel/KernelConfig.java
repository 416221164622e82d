package org.edgesdk.linux.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.internal.KernelFiles;

/**
 * The kernel's build configuration ({@code CONFIG_*} options), as found in {@code /proc/config.gz}
 * (kernels built with {@code CONFIG_IKCONFIG_PROC}) or {@code /boot/config-RELEASE} (Debian, Ubuntu,
 * Fedora install it with the kernel).
 */
public final class KernelConfig {
  private final String source;
  private final Map<String, String> options;

  private KernelConfig(String source, Map<String, String> options) {
    this.source = source;
    this.options = Map.copyOf(options);
  }

  /**
   * Parses configuration text: {@code CONFIG_X=value} lines; comments, including
   * {@code # CONFIG_X is not set}, and malformed lines are ignored.
   *
   * @param source where the text came from, for evidence and messages
   * @param text the configuration text
   * @return the configuration
   */
  public static KernelConfig parse(String source, String text) {
    Objects.requireNonNull(source, "source");
    Map<String, String> options = new HashMap<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      int eq = trimmed.indexOf('=');
      if (trimmed.startsWith("CONFIG_") && eq > 7) {
        String value = trimmed.substring(eq + 1);
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        options.put(trimmed.substring(0, eq), value);
      }
    }
    return new KernelConfig(source, options);
  }

  /**
   * Reads the configuration of the running kernel below {@code root}: {@code /proc/config.gz} first,
   * then {@code /boot/config-RELEASE} for the release in {@code /proc/sys/kernel/osrelease}.
   *
   * @param root the directory standing in for {@code /}
   * @return the configuration, or empty when neither file exists
   * @throws EdgeException if a file exists but cannot be read or is not valid gzip
   */
  public static Optional<KernelConfig> read(HostRoot root) {
    Objects.requireNonNull(root, "root");
    Path gz = root.resolve("/proc/config.gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return Optional.of(parse("/proc/config.gz", new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      // fall through to /boot
    } catch (IOException e) {
      throw new EdgeException(
          ErrorCode.CORRUPT_DATA,
          "cannot read " + gz + " as gzip: " + e.getMessage(),
          "check the file; the kernel writes it only with CONFIG_IKCONFIG_PROC (modprobe configs)",
          e);
    }
    Optional<String> release = KernelFiles.readTrimmed(root.resolve("/proc/sys/kernel/osrelease"));
    if (release.isEmpty() || release.get().isEmpty() || release.get().contains("/")) {
      return Optional.empty();
    }
    String boot = "/boot/config-" + release.get();
    return KernelFiles.readRaw(root.resolve(boot)).map(text -> parse(boot, text));
  }

  /**
   * Returns where this configuration was read.
   *
   * @return {@code /proc/config.gz}, {@code /boot/config-RELEASE}, or the source given to
   *     {@link #parse(String, String)}
   */
  public String source() {
    return source;
  }

  /**
   * Returns the value of an option ({@code y}, {@code m}, a number or a string without quotes).
   *
   * @param option the option name with its {@code CONFIG_} prefix
   * @return the value, or empty when the option is not set
   */
  public Optional<String> get(String option) {
    return Optional.ofNullable(options.get(option));
  }

  /**
   * Returns whether an option is built in ({@code =y}).
   *
   * @param option the option name with its {@code CONFIG_} prefix
   * @return {@code true} for {@code =y}
   */
  public boolean isEnabled(String option) {
    return "y".equals(options.get(option));
  }
}
