package org.edgesdk.examples.edgectl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.edgesdk.linux.fixture.FixtureTree;

/**
 * A device tree bundled in edgectl.jar (the Raspberry Pi 4 fixture of edge-sdk-linux's tests), so the
 * demo can show cpufreq on a machine that has none, in the text format of
 * {@link FixtureTree}.
 */
final class BundledFixture implements AutoCloseable {
  private final String name;
  private final String text;
  private final Path dir;

  private BundledFixture(String name, String text, Path dir) {
    this.name = name;
    this.text = text;
    this.dir = dir;
  }

  /** Materialises the bundled fixture {@code name} into a new temporary directory. */
  static BundledFixture open(String name) {
    try (InputStream in = BundledFixture.class.getResourceAsStream("fixtures/" + name + ".ttar")) {
      if (in == null) {
        throw new IllegalStateException("fixture " + name + ".ttar is missing from the edgectl jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Path dir = Files.createTempDirectory("edgectl-" + name + "-");
      materialise(text, dir);
      return new BundledFixture(name, text, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  Path dir() {
    return dir;
  }

  /** Which device the fixture stands for: its device-tree model, or the first line of its note. */
  String device() {
    try {
      Path model = dir.resolve("sys/firmware/devicetree/base/model");
      if (Files.isRegularFile(model)) {
        return Files.readString(model).replace("\0", "").strip();
      }
    } catch (IOException e) {
      // fall back to the note
    }
    return text.lines().filter(l -> l.startsWith("#")).findFirst().map(l -> l.substring(1).strip()).orElse(name);
  }

  /** The fixture's note: where its values come from. */
  String note() {
    return text.lines().takeWhile(l -> l.startsWith("#")).map(l -> l.substring(1).strip())
        .collect(java.util.stream.Collectors.joining(" "));
  }

  static void materialise(String text, Path dir) {
    FixtureTree.unpack(text, dir);
  }

  /** Deletes the temporary tree. */
  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
