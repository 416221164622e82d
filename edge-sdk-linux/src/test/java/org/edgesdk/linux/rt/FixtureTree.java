package org.edgesdk.linux.rt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgesdk.api.HostRoot;

/**
 * Loads the rt fixtures under {@code fixtures/} next to this class, in the text format of
 * {@link org.edgesdk.linux.fixture.FixtureTree}, and edits single files of a loaded tree.
 */
final class FixtureTree {
  private FixtureTree() {}

  static HostRoot materialise(String name, Path dir) {
    try (InputStream in = FixtureTree.class.getResourceAsStream("fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return org.edgesdk.linux.fixture.FixtureTree.unpack(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(HostRoot root, String path, String content) {
    try {
      Path file = root.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
