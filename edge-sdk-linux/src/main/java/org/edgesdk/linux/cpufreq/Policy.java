package org.edgesdk.linux.cpufreq;

import java.util.List;
import java.util.Objects;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;

/**
 * One cpufreq policy ({@code /sys/devices/system/cpu/cpufreq/policyX/}): a group of CPUs that share
 * one clock, as read at one moment. Frequencies are in kHz, as the kernel writes them.
 *
 * <p>What a driver does not offer is {@link Availability.Unavailable} with the reason (no
 * {@code scaling_available_frequencies} under intel_pstate, no EPP under cpufreq-dt), never a guess.
 *
 * @param id the policy number X of {@code policyX} (the first CPU of the policy)
 * @param cpus the online CPUs of the policy ({@code affected_cpus})
 * @param relatedCpus the online and offline CPUs of the policy ({@code related_cpus})
 * @param driver the scaling driver ({@code scaling_driver}): {@code cpufreq-dt}, {@code intel_pstate},
 *     {@code intel_cpufreq}, {@code acpi-cpufreq}, {@code amd-pstate-epp}, {@code tegra194}...
 * @param governor the current governor ({@code scaling_governor})
 * @param availableGovernors the governors the policy accepts ({@code scaling_available_governors})
 * @param cpuinfoMinKHz the hardware minimum ({@code cpuinfo_min_freq})
 * @param cpuinfoMaxKHz the hardware maximum ({@code cpuinfo_max_freq})
 * @param minKHz the current lower limit ({@code scaling_min_freq})
 * @param maxKHz the current upper limit ({@code scaling_max_freq})
 * @param curKHz the last frequency the kernel requested or measured ({@code scaling_cur_freq})
 * @param hardwareCurKHz the frequency read from the hardware ({@code cpuinfo_cur_freq}; often
 *     readable by root only, absent on some drivers)
 * @param availableFrequenciesKHz the frequencies the driver can set ({@code
 *     scaling_available_frequencies}), in the kernel's order
 * @param transitionLatencyNs the time a frequency change takes ({@code cpuinfo_transition_latency}),
 *     in nanoseconds
 * @param boost whether boost is enabled, and through which file
 * @param energyPerformancePreference the energy-performance preference ({@code
 *     energy_performance_preference}; intel_pstate active and amd-pstate-epp only)
 * @param availableEnergyPerformancePreferences the accepted preferences ({@code
 *     energy_performance_available_preferences})
 * @param setspeedKHz the frequency set under the {@code userspace} governor ({@code scaling_setspeed})
 * @param stats the time-in-state statistics ({@code stats/})
 * @param biosLimitKHz the firmware's limit ({@code bios_limit}, acpi-cpufreq only)
 * @param cpuCapacity the scheduler's relative capacity of the policy's first CPU ({@code
 *     cpuY/cpu_capacity}, 1024 for the biggest core; big.LITTLE boards only)
 */
public record Policy(
    int id,
    CpuSet cpus,
    CpuSet relatedCpus,
    String driver,
    String governor,
    List<String> availableGovernors,
    int cpuinfoMinKHz,
    int cpuinfoMaxKHz,
    int minKHz,
    int maxKHz,
    Availability<Integer> curKHz,
    Availability<Integer> hardwareCurKHz,
    Availability<List<Integer>> availableFrequenciesKHz,
    Availability<Long> transitionLatencyNs,
    Availability<Boost> boost,
    Availability<String> energyPerformancePreference,
    Availability<List<String>> availableEnergyPerformancePreferences,
    Availability<Integer> setspeedKHz,
    Availability<TimeInState> stats,
    Availability<Integer> biosLimitKHz,
    Availability<Integer> cpuCapacity) {

  /**
   * Creates a policy.
   *
   * @param id the policy number
   * @param cpus the online CPUs
   * @param relatedCpus the online and offline CPUs
   * @param driver the scaling driver
   * @param governor the current governor
   * @param availableGovernors the accepted governors
   * @param cpuinfoMinKHz the hardware minimum
   * @param cpuinfoMaxKHz the hardware maximum
   * @param minKHz the current lower limit
   * @param maxKHz the current upper limit
   * @param curKHz the current frequency
   * @param hardwareCurKHz the hardware frequency
   * @param availableFrequenciesKHz the settable frequencies
   * @param transitionLatencyNs the transition latency
   * @param boost the boost state
   * @param energyPerformancePreference the EPP
   * @param availableEnergyPerformancePreferences the accepted EPPs
   * @param setspeedKHz the userspace frequency
   * @param stats the statistics
   * @param biosLimitKHz the firmware limit
   * @param cpuCapacity the CPU capacity
   */
  public Policy {
    if (id < 0) {
      throw new IllegalArgumentException("policy id " + id + " is negative");
    }
    Objects.requireNonNull(cpus, "cpus");
    Objects.requireNonNull(relatedCpus, "relatedCpus");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(governor, "governor");
    availableGovernors = List.copyOf(availableGovernors);
    Objects.requireNonNull(curKHz, "curKHz");
    Objects.requireNonNull(hardwareCurKHz, "hardwareCurKHz");
    availableFrequenciesKHz = availableFrequenciesKHz.map(List::copyOf);
    Objects.requireNonNull(transitionLatencyNs, "transitionLatencyNs");
    Objects.requireNonNull(boost, "boost");
    Objects.requireNonNull(energyPerformancePreference, "energyPerformancePreference");
    availableEnergyPerformancePreferences = availableEnergyPerformancePreferences.map(List::copyOf);
    Objects.requireNonNull(setspeedKHz, "setspeedKHz");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(biosLimitKHz, "biosLimitKHz");
    Objects.requireNonNull(cpuCapacity, "cpuCapacity");
  }

  /**
   * Returns the sysfs name of the policy, {@code policyX}.
   *
   * @return the directory name
   */
  public String name() {
    return "policy" + id;
  }
}
