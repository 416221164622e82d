package org.edgesdk.linux.cpufreq;

import java.util.Objects;

/**
 * Whether frequencies above the sustained maximum (turbo, boost, core performance boost) may be used
 * by a policy, and which file controls it.
 *
 * @param enabled whether boost is enabled for the policy
 * @param control the file that holds the setting
 */
public record Boost(boolean enabled, Control control) {

  /** The sysfs file that controls boost. */
  public enum Control {
    /** {@code policyX/boost}, per policy (kernels since 2023). */
    POLICY,
    /** {@code cpufreq/boost}, for every policy of drivers that support it (acpi-cpufreq, amd-pstate). */
    GLOBAL,
    /** {@code policyX/cpb}, AMD's legacy core performance boost file of acpi-cpufreq. */
    AMD_CPB,
    /** {@code intel_pstate/no_turbo}, inverted, for every policy of intel_pstate and intel_cpufreq. */
    INTEL_NO_TURBO
  }

  /**
   * Creates the boost state.
   *
   * @param enabled whether boost is enabled
   * @param control the controlling file
   */
  public Boost {
    Objects.requireNonNull(control, "control");
  }
}
