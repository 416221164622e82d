package org.edgesdk.linux.cpufreq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgesdk.linux.cpufreq.internal.AttributeWriter;
import org.edgesdk.linux.cpufreq.internal.Errno;
import org.edgesdk.linux.cpufreq.internal.WriteFailure;

/**
 * A fake of the kernel's cpufreq write rules over a materialised fixture tree, behind the SDK's write
 * seam. Plain files accept anything; this fake answers as drivers/cpufreq/cpufreq.c and the drivers do:
 *
 * <ul>
 *   <li>{@code scaling_governor}: EINVAL unless in {@code scaling_available_governors}; under
 *       intel_pstate and amd-pstate-epp, switching to performance forces EPP to performance;
 *   <li>{@code scaling_min_freq} above the current max, or {@code scaling_max_freq} below the current
 *       min: EINVAL (the strict rule of kernels before frequency QoS; the SDK's write order must never
 *       hit it); values are clamped to the cpuinfo limits; amd-pstate-epp accepts both and ignores them;
 *   <li>{@code energy_performance_preference}: EINVAL for an unknown preference, EBUSY for anything but
 *       performance under the performance governor;
 *   <li>{@code scaling_setspeed}: EINVAL unless the governor is userspace;
 *   <li>a hardware floor (Raspberry Pi 5: 1.5 GHz) keeps {@code cpuinfo_cur_freq} at or above it;
 *   <li>{@link #deny}, {@link #inject} and {@link #afterWrite} model EACCES, any errno and another
 *       process changing the policy mid-transaction.
 * </ul>
 */
final class FakeKernel implements AttributeWriter {
  private final List<String> log = new ArrayList<>();
  private final Map<String, Errno> injected = new HashMap<>();
  private final Map<String, Runnable> afterWrite = new HashMap<>();
  private int floorKHz;

  /** Every accepted or refused write, as {@code policyX/attribute=value} or with {@code !ERRNO}. */
  List<String> log() {
    return log;
  }

  FakeKernel deny(String attribute) {
    return inject(attribute, Errno.EACCES);
  }

  FakeKernel inject(String attribute, Errno errno) {
    injected.put(attribute, errno);
    return this;
  }

  FakeKernel allow(String attribute) {
    injected.remove(attribute);
    return this;
  }

  FakeKernel afterWrite(String attribute, Runnable action) {
    afterWrite.put(attribute, action);
    return this;
  }

  FakeKernel hardwareFloor(int kHz) {
    this.floorKHz = kHz;
    return this;
  }

  @Override
  public void write(Path file, String value) throws WriteFailure {
    Path dir = file.getParent();
    String attribute = file.getFileName().toString();
    String entry = dir.getFileName() + "/" + attribute + "=" + value;
    Errno errno = injected.get(attribute);
    if (errno == null) {
      errno = rule(dir, attribute, value);
    }
    if (errno != null) {
      log.add(entry + " !" + errno);
      throw new WriteFailure(file, errno);
    }
    log.add(entry);
    Runnable action = afterWrite.remove(attribute);
    if (action != null) {
      action.run();
    }
  }

  private Errno rule(Path dir, String attribute, String value) {
    if (!Files.isRegularFile(dir.resolve(attribute))) {
      return Errno.ENOENT;
    }
    String driver = read(dir, "scaling_driver");
    switch (attribute) {
      case "scaling_governor": {
        if (!words(read(dir, "scaling_available_governors")).contains(value)) {
          return Errno.EINVAL;
        }
        put(dir, attribute, value);
        if (Files.exists(dir.resolve("energy_performance_preference")) && value.equals("performance")) {
          put(dir, "energy_performance_preference", "performance");
        }
        put(dir, "scaling_setspeed", value.equals("userspace") ? read(dir, "scaling_cur_freq") : "<unsupported>");
        settle(dir);
        return null;
      }
      case "scaling_min_freq":
      case "scaling_max_freq": {
        int kHz;
        try {
          kHz = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          return Errno.EINVAL;
        }
        boolean min = attribute.equals("scaling_min_freq");
        if (min ? kHz > num(dir, "scaling_max_freq") : kHz < num(dir, "scaling_min_freq")) {
          return Errno.EINVAL;
        }
        if (driver.equals("amd-pstate-epp")) {
          return null; // accepted, no effect in active mode
        }
        int clamped = Math.max(num(dir, "cpuinfo_min_freq"), Math.min(num(dir, "cpuinfo_max_freq"), kHz));
        put(dir, attribute, String.valueOf(clamped));
        settle(dir);
        return null;
      }
      case "energy_performance_preference": {
        if (!words(read(dir, "energy_performance_available_preferences")).contains(value)) {
          return Errno.EINVAL;
        }
        if (read(dir, "scaling_governor").equals("performance") && !value.equals("performance")) {
          return Errno.EBUSY;
        }
        put(dir, attribute, value);
        return null;
      }
      case "scaling_setspeed": {
        if (!read(dir, "scaling_governor").equals("userspace")) {
          return Errno.EINVAL;
        }
        int kHz = Integer.parseInt(value);
        int clamped = Math.max(num(dir, "scaling_min_freq"), Math.min(num(dir, "scaling_max_freq"), kHz));
        put(dir, attribute, String.valueOf(clamped));
        put(dir, "scaling_cur_freq", String.valueOf(clamped));
        settle(dir);
        return null;
      }
      default:
        put(dir, attribute, value);
        return null;
    }
  }

  /** Moves the current frequency into the limits as the governor would, then applies the floor. */
  private void settle(Path dir) {
    int min = num(dir, "scaling_min_freq");
    int max = num(dir, "scaling_max_freq");
    String governor = read(dir, "scaling_governor");
    int cur = num(dir, "scaling_cur_freq");
    if (governor.equals("performance")) {
      cur = max;
    } else if (governor.equals("powersave")) {
      cur = min;
    } else {
      cur = Math.max(min, Math.min(max, cur));
    }
    put(dir, "scaling_cur_freq", String.valueOf(cur));
    if (Files.exists(dir.resolve("cpuinfo_cur_freq"))) {
      put(dir, "cpuinfo_cur_freq", String.valueOf(Math.max(cur, floorKHz)));
    }
  }

  static String read(Path dir, String attribute) {
    try {
      return Files.readString(dir.resolve(attribute)).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static int num(Path dir, String attribute) {
    return Integer.parseInt(read(dir, attribute));
  }

  static void put(Path dir, String attribute, String value) {
    try {
      Files.writeString(dir.resolve(attribute), value + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> words(String text) {
    return Arrays.asList(text.strip().split("\\s+"));
  }
}
