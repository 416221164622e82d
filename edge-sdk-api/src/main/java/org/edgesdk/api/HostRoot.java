package org.edgesdk.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The directory that stands in for the file-system root {@code /} when the SDK reads or writes
 * kernel and system files ({@code sys/}, {@code proc/}, {@code etc/}, {@code run/}, {@code dev/}).
 *
 * <p>Every Linux reader and writer of the SDK takes a {@code HostRoot} per instance and never a
 * global setting, so one process can inspect the live system and any number of fixture trees (a
 * Raspberry Pi's {@code /sys} copied into a test directory, a container's mounted root) at once.
 *
 * <pre>{@code
 * HostRoot live = HostRoot.system();                       // the real "/"
 * HostRoot fixture = HostRoot.of(Path.of("src/test/resources/rpi4"));
 * Path governor = fixture.resolve("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor");
 * }</pre>
 *
 * @param path the absolute, normalized directory standing in for {@code /}
 */
public record HostRoot(Path path) {
  private static final HostRoot SYSTEM = new HostRoot(Path.of("/"));

  /**
   * Creates a root, converting {@code path} to an absolute, normalized path.
   *
   * @param path the directory standing in for {@code /}
   */
  public HostRoot {
    Objects.requireNonNull(path, "path");
    path = path.toAbsolutePath().normalize();
  }

  /**
   * Returns the root of the running system, {@code /}.
   *
   * @return the live system's root
   */
  public static HostRoot system() {
    return SYSTEM;
  }

  /**
   * Returns a root at the given directory. The directory need not exist: readers report the files
   * they miss as unsupported or unknown, not as errors.
   *
   * @param path the directory standing in for {@code /}
   * @return the root
   */
  public static HostRoot of(Path path) {
    return new HostRoot(path);
  }

  /**
   * Returns whether this root is the live system's {@code /}.
   *
   * @return {@code true} for {@link #system()}
   */
  public boolean isSystem() {
    return path.getParent() == null;
  }

  /**
   * Resolves a path as the running system names it ({@code /sys/class/thermal}) below this root.
   * Absolute and relative forms are equivalent; {@code ..} segments cannot leave the root.
   *
   * @param systemPath the path as seen on the device, for example {@code /proc/self/mountinfo}
   * @return the path below this root
   * @throws IllegalArgumentException if {@code systemPath} would escape the root
   */
  public Path resolve(String systemPath) {
    Objects.requireNonNull(systemPath, "systemPath");
    String relative = systemPath;
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    Path resolved = path.resolve(relative).normalize();
    if (!resolved.startsWith(path)) {
      throw new IllegalArgumentException(
          "path " + systemPath + " escapes the host root " + path + "; use a path without '..'");
    }
    return resolved;
  }

  /**
   * Returns {@code sys/} below this root (sysfs).
   *
   * @return the sysfs directory
   */
  public Path sys() {
    return path.resolve("sys");
  }

  /**
   * Returns {@code proc/} below this root (procfs).
   *
   * @return the procfs directory
   */
  public Path proc() {
    return path.resolve("proc");
  }

  /**
   * Returns {@code etc/} below this root.
   *
   * @return the configuration directory
   */
  public Path etc() {
    return path.resolve("etc");
  }

  /**
   * Returns {@code run/} below this root.
   *
   * @return the runtime state directory
   */
  public Path run() {
    return path.resolve("run");
  }

  /**
   * Returns {@code dev/} below this root.
   *
   * @return the device directory
   */
  public Path dev() {
    return path.resolve("dev");
  }
}
