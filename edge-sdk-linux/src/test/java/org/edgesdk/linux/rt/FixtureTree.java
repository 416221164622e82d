package org.edgesdk.linux.rt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgesdk.api.HostRoot;

/**
 * Materialises a fixture tree stored as one text file (a small ttar-like format, since Maven's
 * resource copying keeps neither symlinks nor sysfs-like files):
 *
 * <pre>
 * # note: where the values come from (device, kernel, documentation)
 * &#64;&#64; /proc/self/status
 * file content, line by line
 * &#64;&#64; /sys/class/x -&gt; ../../devices/x      (a symlink)
 * </pre>
 */
final class FixtureTree {
  private FixtureTree() {}

  static HostRoot materialise(String name, Path dir) {
    String text;
    try (InputStream in = FixtureTree.class.getResourceAsStream("fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HostRoot root = HostRoot.of(dir);
    String path = null;
    StringBuilder content = new StringBuilder();
    try {
      String[] lines = text.split("\n", -1);
      int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
      for (int i = 0; i < count; i++) {
        String line = lines[i];
        if (line.startsWith("@@ ")) {
          flush(root, path, content);
          path = line.substring(3);
          int arrow = path.indexOf(" -> ");
          if (arrow >= 0) {
            Path link = root.resolve(path.substring(0, arrow));
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(path.substring(arrow + 4)));
            path = null;
          }
          content.setLength(0);
        } else if (path != null) {
          content.append(line).append('\n');
        }
      }
      flush(root, path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return root;
  }

  private static void flush(HostRoot root, String path, StringBuilder content) throws IOException {
    if (path == null) {
      return;
    }
    String body = content.toString();
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, body);
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
