package org.edgesdk.linux.posture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.edgesdk.api.HostRoot;

/** Loads the posture fixtures next to this class, in the text format of {@link org.edgesdk.linux.fixture.FixtureTree}. */
final class FixtureTree {
  private FixtureTree() {}

  /** Materialises the classpath resource {@code name} (next to this class) into {@code dir}. */
  static HostRoot materialise(String name, Path dir) {
    try (InputStream in = FixtureTree.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name + " next to " + FixtureTree.class);
      }
      return org.edgesdk.linux.fixture.FixtureTree.unpack(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
