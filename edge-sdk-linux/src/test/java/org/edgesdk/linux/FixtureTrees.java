package org.edgesdk.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Materialises the device fixture trees kept under {@code src/test/resources/org/edgesdk/linux/fixtures}
 * into a directory. Maven's resource copying cannot keep symlinks, so each tree is a text file in a
 * small ttar-like format:
 *
 * <pre>
 * # note: where the values come from (only before the first entry)
 * === sys/devices/system/cpu/cpufreq/policy0/scaling_governor
 * ondemand                                     (content lines, a newline added at the end)
 * === sys/devices/system/cpu/cpu0/cpufreq -> ../cpufreq/policy0      (a symlink)
 * === sys/devices/system/cpu/cpufreq/          (an empty directory)
 * </pre>
 */
public final class FixtureTrees {
  /** Every fixture, one per device class the SDK promises to handle. */
  public static final List<String> ALL = List.of(
      "rpi4", "rpi5", "jetson-orin", "rk3588", "intel-pstate-active", "intel-cpufreq-passive",
      "acpi-cpufreq-boost", "amd-pstate-epp", "vm-no-cpufreq", "offline-cpu");

  private FixtureTrees() {}

  /** Returns the text of a fixture. */
  public static String text(String name) {
    try (InputStream in = FixtureTrees.class.getResourceAsStream("fixtures/" + name + ".ttar")) {
      Objects.requireNonNull(in, () -> "no fixture " + name + ".ttar; known: " + ALL);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the note at the top of a fixture (its '#' lines). */
  public static String note(String name) {
    StringBuilder note = new StringBuilder();
    for (String line : text(name).split("\n")) {
      if (!line.startsWith("#")) {
        break;
      }
      note.append(line.substring(1).strip()).append('\n');
    }
    return note.toString();
  }

  /** Writes the tree of fixture {@code name} below {@code dir} and returns {@code dir}. */
  public static Path materialise(String name, Path dir) {
    try {
      materialiseText(text(name), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  static void materialiseText(String text, Path dir) throws IOException {
    String header = null;
    List<String> content = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("=== ")) {
        if (header != null) {
          create(dir, header, content);
        }
        header = line.substring(4);
        content.clear();
      } else if (header != null) {
        content.add(line);
      }
    }
    if (header != null) {
      // the last entry's content ends at the file's final newline
      if (!content.isEmpty() && content.get(content.size() - 1).isEmpty()) {
        content.remove(content.size() - 1);
      }
      create(dir, header, content);
    }
  }

  private static void create(Path dir, String header, List<String> content) throws IOException {
    int arrow = header.indexOf(" -> ");
    if (arrow > 0) {
      Path link = dir.resolve(header.substring(0, arrow));
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(header.substring(arrow + 4)));
    } else if (header.endsWith("/")) {
      Files.createDirectories(dir.resolve(header));
    } else {
      Path file = dir.resolve(header);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content.isEmpty() ? "" : String.join("\n", content) + "\n");
    }
  }
}
