package org.edgesdk.linux.thermal;

import java.util.Objects;

/**
 * A cooling device ({@code /sys/class/thermal/cooling_deviceN}): a fan, a frequency cap
 * ({@code cpufreq-cpu0}), a processor throttle.
 *
 * @param name the directory name, {@code cooling_deviceN}
 * @param type the device's type, such as {@code pwm-fan}, {@code cpufreq-cpu0} or {@code Processor}
 * @param cur the current cooling state ({@code cur_state}; 0 is no cooling)
 * @param max the highest cooling state ({@code max_state})
 */
public record CoolingDevice(String name, String type, long cur, long max) {
  /**
   * Creates the cooling device.
   *
   * @param name the directory name
   * @param type the type
   * @param cur the current state
   * @param max the maximum state
   */
  public CoolingDevice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /**
   * Returns whether the device is cooling now.
   *
   * @return {@code true} if the current state is above 0
   */
  public boolean isActive() {
    return cur > 0;
  }
}
