package org.edgesdk.linux.posture;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.posture.internal.Probe;

/**
 * Reads a process environment as the kernel exposes it ({@code /proc/PID/environ}: {@code NAME=value}
 * entries separated by NUL bytes). The posture report takes its environment as a map from the caller;
 * this class supplies one for a root that is not the running system, such as a fixture tree or a
 * container's root mounted elsewhere.
 */
public final class ProcessEnvironment {
  private ProcessEnvironment() {}

  /**
   * Parses environ text.
   *
   * @param text NUL-separated {@code NAME=value} entries; entries without {@code =} are skipped
   * @return the variables
   */
  public static Map<String, String> parse(String text) {
    Objects.requireNonNull(text, "text");
    Map<String, String> env = new HashMap<>();
    for (String entry : text.split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return Map.copyOf(env);
  }

  /**
   * Reads {@code /proc/self/environ} below {@code root}.
   *
   * @param root the directory standing in for {@code /}
   * @return the variables, or empty when the file is missing or unreadable
   */
  public static Optional<Map<String, String>> read(HostRoot root) {
    Objects.requireNonNull(root, "root");
    Probe probe = Probe.read(root, "/proc/self/environ");
    return Optional.ofNullable(probe.text()).map(ProcessEnvironment::parse);
  }
}
