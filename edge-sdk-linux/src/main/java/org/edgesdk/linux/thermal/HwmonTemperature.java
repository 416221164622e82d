package org.edgesdk.linux.thermal;

import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.Availability;

/**
 * One temperature input of a hwmon chip ({@code /sys/class/hwmon/hwmonN/tempK_*}).
 *
 * @param chip the directory name, {@code hwmonN}
 * @param chipName the chip's {@code name} ({@code coretemp}, {@code k10temp}, {@code cpu_thermal}...)
 * @param sensor the input, {@code tempK}
 * @param label the input's label ({@code tempK_label}, for example {@code Package id 0}), if any
 * @param tempC the temperature in degrees Celsius ({@code tempK_input}), or why it cannot be read
 * @param critC the critical temperature ({@code tempK_crit}), if reported
 */
public record HwmonTemperature(
    String chip,
    String chipName,
    String sensor,
    Optional<String> label,
    Availability<Double> tempC,
    Optional<Double> critC) {
  /**
   * Creates the reading.
   *
   * @param chip the directory name
   * @param chipName the chip name
   * @param sensor the input
   * @param label the label
   * @param tempC the temperature
   * @param critC the critical temperature
   */
  public HwmonTemperature {
    Objects.requireNonNull(chip, "chip");
    Objects.requireNonNull(chipName, "chipName");
    Objects.requireNonNull(sensor, "sensor");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(tempC, "tempC");
    Objects.requireNonNull(critC, "critC");
  }
}
