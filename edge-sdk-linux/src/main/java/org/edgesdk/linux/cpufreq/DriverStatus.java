package org.edgesdk.linux.cpufreq;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The global state of a driver that has one: {@code /sys/devices/system/cpu/intel_pstate/} or
 * {@code /sys/devices/system/cpu/amd_pstate/}.
 *
 * @param driver {@code intel_pstate} or {@code amd_pstate}
 * @param status the operation mode from {@code status}: {@code active}, {@code passive}, {@code off}
 *     (intel_pstate), {@code guided} or {@code disable} (amd_pstate)
 * @param noTurbo intel_pstate's {@code no_turbo} (true when turbo is disabled), if present
 * @param minPerfPct intel_pstate's {@code min_perf_pct}, if present
 * @param maxPerfPct intel_pstate's {@code max_perf_pct}, if present
 */
public record DriverStatus(
    String driver,
    String status,
    Optional<Boolean> noTurbo,
    OptionalInt minPerfPct,
    OptionalInt maxPerfPct) {

  /**
   * Creates the status.
   *
   * @param driver the driver's directory name
   * @param status the operation mode
   * @param noTurbo whether turbo is disabled
   * @param minPerfPct the minimum performance in percent
   * @param maxPerfPct the maximum performance in percent
   */
  public DriverStatus {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(noTurbo, "noTurbo");
    Objects.requireNonNull(minPerfPct, "minPerfPct");
    Objects.requireNonNull(maxPerfPct, "maxPerfPct");
  }
}
