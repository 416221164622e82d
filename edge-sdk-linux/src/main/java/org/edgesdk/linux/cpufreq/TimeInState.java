package org.edgesdk.linux.cpufreq;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The cpufreq statistics of a policy ({@code policyX/stats/}), present when the kernel is built with
 * {@code CONFIG_CPU_FREQ_STAT}.
 *
 * @param timeInState time spent at each frequency since boot or the last reset, in kHz order as the
 *     kernel lists them ({@code stats/time_in_state} counts in units of 10 ms)
 * @param totalTransitions the number of frequency changes ({@code stats/total_trans}), if present
 */
public record TimeInState(Map<Integer, Duration> timeInState, OptionalLong totalTransitions) {

  /**
   * Creates the statistics.
   *
   * @param timeInState time per frequency in kHz, kept in the given iteration order
   * @param totalTransitions the number of frequency changes
   */
  public TimeInState {
    Objects.requireNonNull(timeInState, "timeInState");
    Objects.requireNonNull(totalTransitions, "totalTransitions");
    timeInState = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timeInState));
  }
}
