package org.edgesdk.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.edgesdk.linux.fixture.FixtureTree;

/**
 * The device fixture trees kept under {@code src/test/resources/org/edgesdk/linux/fixtures}, in the text
 * format of {@link FixtureTree}.
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
    FixtureTree.unpack(text(name), dir);
    return dir;
  }
}
