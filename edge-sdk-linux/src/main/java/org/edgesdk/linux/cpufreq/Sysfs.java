package org.edgesdk.linux.cpufreq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.edgesdk.api.Availability;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.linux.internal.KernelFiles;

/** Typed reads of cpufreq attributes, shared by the reader and the transaction. */
final class Sysfs {
  private Sysfs() {}

  static Optional<String> text(Path file) {
    return KernelFiles.readTrimmed(file);
  }

  static String required(Path file) {
    return text(file).orElseThrow(() -> new EdgeException(
        ErrorCode.CORRUPT_DATA,
        file + " is missing, but every cpufreq policy has it",
        "check that the tree is a complete copy of /sys (with --root) or that the driver loaded fully"));
  }

  static int requiredInt(Path file) {
    return parseInt(file, required(file));
  }

  static int parseInt(Path file, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new EdgeException(
          ErrorCode.CORRUPT_DATA,
          file + " holds '" + text + "' where a number in kHz was expected",
          "check that the file is a cpufreq attribute and not a truncated copy",
          e);
    }
  }

  static Availability<Integer> optionalInt(Path file, String absentReason) {
    Optional<String> text = text(file);
    if (text.isEmpty()) {
      return Availability.unavailable(absentReason);
    }
    String value = text.get();
    if (value.startsWith("<")) { // "<unknown>", "<unsupported>"
      return Availability.unavailable(file.getFileName() + " reads " + value);
    }
    return Availability.of(parseInt(file, value));
  }

  static List<String> words(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
  }

  static List<Integer> ints(Path file, String text) {
    List<Integer> out = new ArrayList<>();
    for (String word : words(text)) {
      out.add(parseInt(file, word));
    }
    return out;
  }
}
