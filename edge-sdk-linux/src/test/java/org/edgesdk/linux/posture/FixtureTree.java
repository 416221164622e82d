package org.edgesdk.linux.posture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.edgesdk.api.HostRoot;

/**
 * Materialises a text fixture (a small ttar-like format) into a directory, because Maven's resource
 * copying keeps neither symlinks nor files such as sysfs attributes. The format:
 *
 * <pre>
 * # notes: where the values come from (only before the first entry)
 * &gt;&gt;&gt; /etc/os-release            a file; the lines up to the next entry, each ending in \n
 * &gt;&gt;&gt; /path noeol                a file whose last line has no newline
 * &gt;&gt;&gt; /path hex                  a binary file: hex bytes, white space ignored
 * &gt;&gt;&gt; /proc/self/environ nul     lines joined by NUL bytes, with a final NUL
 * &gt;&gt;&gt; /path dir                  an empty directory
 * &gt;&gt;&gt; /etc/os-release -&gt; ../usr/lib/os-release   a symlink
 * </pre>
 */
final class FixtureTree {
  private static final String ENTRY = ">>> ";

  private FixtureTree() {}

  /** Materialises the classpath resource {@code name} (next to this class) into {@code dir}. */
  static HostRoot materialise(String name, Path dir) {
    try (InputStream in = FixtureTree.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name + " next to " + FixtureTree.class);
      }
      write(new String(in.readAllBytes(), StandardCharsets.UTF_8), dir);
      return HostRoot.of(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(String fixture, Path dir) throws IOException {
    HostRoot root = HostRoot.of(dir);
    String header = null;
    List<String> body = new ArrayList<>();
    for (String line : fixture.split("\n", -1)) {
      if (line.startsWith(ENTRY)) {
        if (header != null) {
          entry(root, header, body);
        }
        header = line.substring(ENTRY.length()).strip();
        body.clear();
      } else if (header != null) {
        body.add(line);
      }
    }
    if (header != null) {
      entry(root, header, body);
    }
  }

  private static void entry(HostRoot root, String header, List<String> body) throws IOException {
    // A blank line before the next entry only separates entries.
    while (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
      body.remove(body.size() - 1);
    }
    int arrow = header.indexOf(" -> ");
    if (arrow > 0) {
      Path link = root.resolve(header.substring(0, arrow));
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(header.substring(arrow + 4).strip()));
      return;
    }
    String[] parts = header.split("\\s+");
    Path file = root.resolve(parts[0]);
    String mode = parts.length > 1 ? parts[1] : "text";
    if (mode.equals("dir")) {
      Files.createDirectories(file);
      return;
    }
    Files.createDirectories(file.getParent());
    switch (mode) {
      case "hex" -> Files.write(file, HexFormat.of().parseHex(String.join("", body).replaceAll("\\s", "")));
      case "nul" -> Files.writeString(file, body.isEmpty() ? "" : String.join("\0", body) + "\0");
      case "noeol" -> Files.writeString(file, String.join("\n", body));
      case "text" -> Files.writeString(file, body.isEmpty() ? "" : String.join("\n", body) + "\n");
      default -> throw new IllegalArgumentException("unknown fixture entry mode '" + mode + "' in " + header);
    }
  }
}
