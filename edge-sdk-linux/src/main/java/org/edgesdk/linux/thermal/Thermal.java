package org.edgesdk.linux.thermal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.edgesdk.api.Availability;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.internal.KernelFiles;

/**
 * Reads thermal zones, cooling devices and hwmon temperatures below a {@link HostRoot}. Instances are
 * immutable and thread-safe; each {@link #read()} reads the files afresh.
 */
public final class Thermal {
  private static final Pattern ZONE = Pattern.compile("thermal_zone(\\d+)");
  private static final Pattern COOLING = Pattern.compile("cooling_device(\\d+)");
  private static final Pattern HWMON = Pattern.compile("hwmon(\\d+)");
  private static final Pattern TRIP = Pattern.compile("trip_point_(\\d+)_type");
  private static final Pattern CDEV = Pattern.compile("cdev(\\d+)");
  private static final Pattern TEMP_INPUT = Pattern.compile("temp(\\d+)_input");

  private final HostRoot root;

  private Thermal(HostRoot root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /**
   * Returns the thermal reader of the host below {@code root}.
   *
   * @param root the directory standing in for {@code /}
   * @return the reader
   */
  public static Thermal of(HostRoot root) {
    return new Thermal(root);
  }

  /**
   * Returns the root this instance reads below.
   *
   * @return the host root
   */
  public HostRoot root() {
    return root;
  }

  /**
   * Reads every thermal zone, cooling device and hwmon temperature.
   *
   * @return the state; empty lists on a host without thermal sensors
   * @throws EdgeException if a file exists but cannot be read, or holds a value no kernel writes
   */
  public ThermalInfo read() {
    Path thermal = root.resolve("/sys/class/thermal");
    List<ThermalZone> zones = new ArrayList<>();
    numbered(thermal, ZONE).forEach((n, dir) -> zones.add(zone(dir)));
    List<CoolingDevice> cooling = new ArrayList<>();
    numbered(thermal, COOLING).forEach((n, dir) -> cooling.add(new CoolingDevice(
        dir.getFileName().toString(),
        required(dir.resolve("type")),
        number(dir.resolve("cur_state")).orElseThrow(() -> missing(dir.resolve("cur_state"))),
        number(dir.resolve("max_state")).orElseThrow(() -> missing(dir.resolve("max_state"))))));
    List<HwmonTemperature> hwmon = new ArrayList<>();
    numbered(root.resolve("/sys/class/hwmon"), HWMON).forEach((n, dir) -> hwmon.addAll(hwmon(dir)));
    return new ThermalInfo(root, zones, cooling, hwmon);
  }

  private ThermalZone zone(Path dir) {
    List<TripPoint> trips = new ArrayList<>();
    numbered(dir, TRIP).forEach((k, typeFile) -> {
      Optional<TripType> type = text(typeFile).flatMap(TripType::fromSysfs);
      Optional<Long> temp = number(dir.resolve("trip_point_" + k + "_temp"));
      if (type.isPresent() && temp.isPresent()) {
        trips.add(new TripPoint(k, type.get(), temp.get() / 1000.0,
            number(dir.resolve("trip_point_" + k + "_hyst")).map(h -> h / 1000.0)));
      }
    });
    List<String> cdevs = new ArrayList<>();
    numbered(dir, CDEV).forEach((m, link) -> {
      try {
        cdevs.add(Files.readSymbolicLink(link).getFileName().toString());
      } catch (IOException | UnsupportedOperationException e) {
        cdevs.add(link.getFileName().toString());
      }
    });
    return new ThermalZone(
        dir.getFileName().toString(),
        required(dir.resolve("type")),
        milliCelsius(dir.resolve("temp")),
        text(dir.resolve("mode")),
        text(dir.resolve("policy")),
        trips,
        cdevs);
  }

  private List<HwmonTemperature> hwmon(Path dir) {
    // Some chips keep their attributes in hwmonN/device/ (older drivers).
    Path attrs = Files.isRegularFile(dir.resolve("name")) || !Files.isDirectory(dir.resolve("device"))
        ? dir : dir.resolve("device");
    String chipName = required(attrs.resolve("name"));
    List<HwmonTemperature> out = new ArrayList<>();
    numbered(attrs, TEMP_INPUT).forEach((k, input) -> out.add(new HwmonTemperature(
        dir.getFileName().toString(),
        chipName,
        "temp" + k,
        text(attrs.resolve("temp" + k + "_label")),
        milliCelsius(input),
        number(attrs.resolve("temp" + k + "_crit")).map(c -> c / 1000.0))));
    return out;
  }

  private static Availability<Double> milliCelsius(Path file) {
    Optional<String> text;
    try {
      text = KernelFiles.readTrimmed(file);
    } catch (EdgeException e) {
      if (e.code() == ErrorCode.IO_ERROR) {
        // EAGAIN, ENODATA, EIO: sensors that have no sample yet or are powered down
        return Availability.unavailable(file.getFileName() + " cannot be read now: " + e.problem());
      }
      throw e;
    }
    if (text.isEmpty()) {
      return Availability.unavailable(file + " is absent");
    }
    try {
      return Availability.of(Long.parseLong(text.get()) / 1000.0);
    } catch (NumberFormatException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA,
          file + " holds '" + text.get() + "' where millidegrees Celsius were expected",
          "check that the tree is a copy of sysfs", e);
    }
  }

  private static Optional<String> text(Path file) {
    return KernelFiles.readTrimmed(file);
  }

  /** Attributes the kernel always creates (zone and cooling device type, hwmon name). */
  private static String required(Path file) {
    return text(file).orElseThrow(() -> missing(file));
  }

  private static EdgeException missing(Path file) {
    return new EdgeException(ErrorCode.CORRUPT_DATA,
        file + " is missing, but the kernel always creates it",
        "check that the tree is a complete copy of /sys (with --root)");
  }

  private static Optional<Long> number(Path file) {
    Optional<String> text = text(file);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(text.get()));
    } catch (NumberFormatException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA,
          file + " holds '" + text.get() + "' where a number was expected",
          "check that the tree is a copy of sysfs", e);
    }
  }

  /** Entries of {@code dir} whose name matches {@code pattern}, by the number in group 1. */
  private static TreeMap<Integer, Path> numbered(Path dir, Pattern pattern) {
    TreeMap<Integer, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      entries.forEach(p -> {
        Matcher m = pattern.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      });
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage(),
          "check that sysfs is mounted and readable", e);
    }
    return out;
  }
}
