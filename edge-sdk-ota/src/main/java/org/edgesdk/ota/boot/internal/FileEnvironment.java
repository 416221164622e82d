package org.edgesdk.ota.boot.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.boot.Environment;
import org.edgesdk.ota.tuf.internal.AtomicFiles;

/**
 * Variables in a plain UTF-8 file, one {@code name=value} per line, replaced atomically. A missing
 * file reads as no variables. For containers and tests, where no bootloader runs.
 */
public final class FileEnvironment implements Environment {
  private final Path file;

  /**
   * Creates the store.
   *
   * @param file the variables file
   */
  public FileEnvironment(Path file) {
    this.file = file;
  }

  @Override
  public Map<String, String> read() {
    Map<String, String> vars = new LinkedHashMap<>();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return vars;
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(),
          "check the file's permissions", e);
    }
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        vars.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return vars;
  }

  @Override
  public void write(Map<String, String> variables) {
    StringBuilder sb = new StringBuilder();
    variables.forEach((k, v) -> {
      if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\n') >= 0 || v.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("cannot store variable '" + k + "'='" + v + "'");
      }
      sb.append(k).append('=').append(v).append('\n');
    });
    try {
      AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot write " + file + ": " + e.getMessage(),
          "check the file's permissions and free space", e);
    }
  }
}
