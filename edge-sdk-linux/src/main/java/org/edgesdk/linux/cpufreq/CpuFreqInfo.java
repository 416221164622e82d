package org.edgesdk.linux.cpufreq;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;

/**
 * The cpufreq state of a host at one moment.
 *
 * @param root the root it was read from
 * @param policies every policy in ascending id order, or unavailable with the reason when the host
 *     has no frequency scaling (no or an empty {@code cpufreq} directory, as in most virtual machines)
 * @param offlinePolicies policies whose CPUs are all offline: the kernel keeps their directory but
 *     answers EBUSY to reads, so only the id and the CPUs linked to it are known
 * @param globalBoost {@code cpufreq/boost}, present when the driver supports boost globally
 * @param driverStatus the global state of intel_pstate or amd_pstate, if the host has one
 */
public record CpuFreqInfo(
    HostRoot root,
    Availability<List<Policy>> policies,
    List<OfflinePolicy> offlinePolicies,
    Availability<Boolean> globalBoost,
    Optional<DriverStatus> driverStatus) {

  /**
   * A policy whose CPUs are all offline.
   *
   * @param id the policy number
   * @param relatedCpus the CPUs whose {@code cpuY/cpufreq} link points at the policy
   */
  public record OfflinePolicy(int id, CpuSet relatedCpus) {
    /**
     * Creates the offline policy.
     *
     * @param id the policy number
     * @param relatedCpus its CPUs
     */
    public OfflinePolicy {
      Objects.requireNonNull(relatedCpus, "relatedCpus");
    }
  }

  /**
   * Creates the state.
   *
   * @param root the root
   * @param policies the policies, or why there are none
   * @param offlinePolicies the offline policies
   * @param globalBoost the global boost switch
   * @param driverStatus the driver's global state
   */
  public CpuFreqInfo {
    Objects.requireNonNull(root, "root");
    policies = policies.map(List::copyOf);
    offlinePolicies = List.copyOf(offlinePolicies);
    Objects.requireNonNull(globalBoost, "globalBoost");
    Objects.requireNonNull(driverStatus, "driverStatus");
  }

  /**
   * Returns whether the host has cpufreq policies.
   *
   * @return {@code true} when {@link #policies()} is available
   */
  public boolean isSupported() {
    return policies.isAvailable();
  }

  /**
   * Returns the policy with the given id.
   *
   * @param id the policy number
   * @return the policy, or empty if there is none with that id
   */
  public Optional<Policy> policy(int id) {
    return policies.toOptional().flatMap(list -> list.stream().filter(p -> p.id() == id).findFirst());
  }

  /**
   * Returns the policy that holds the given CPU.
   *
   * @param cpu a CPU number
   * @return the policy whose {@link Policy#relatedCpus()} contain the CPU, or empty
   */
  public Optional<Policy> policyOfCpu(int cpu) {
    return policies.toOptional()
        .flatMap(list -> list.stream().filter(p -> p.relatedCpus().contains(cpu)).findFirst());
  }
}
