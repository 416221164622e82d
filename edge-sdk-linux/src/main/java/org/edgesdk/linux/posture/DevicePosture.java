package org.edgesdk.linux.posture;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.Availability;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.kernel.KernelPreemption;
import org.edgesdk.linux.posture.internal.PostureReader;

/**
 * The device posture report: how the device is hardened and what resources the process really has,
 * read through a {@link HostRoot}, with a {@link Finding} per hardening check.
 *
 * <p>Reading never fails as a whole: a file that is missing, unreadable or malformed makes its field
 * unknown ({@link Availability.Unavailable}, {@link SecureBootState#UNKNOWN}, {@link Limit.Unknown})
 * with the reason, and the matching finding {@link FindingStatus#UNKNOWN}.
 *
 * <pre>{@code
 * DevicePosture posture = DevicePosture.read(HostRoot.system(), System.getenv());
 * for (Finding f : posture.findings()) {
 *   System.out.println(f.status() + " " + f.id() + ": " + f.detail());
 * }
 * }</pre>
 *
 * @param root the root the report was read from
 * @param os the operating system's identity
 * @param kernelRelease the kernel release ({@link org.edgesdk.linux.HostInfo})
 * @param preemption the kernel's preemption model with its evidence ({@link KernelPreemption})
 * @param rootFilesystem the file system at {@code /}
 * @param mac mandatory access control and lockdown
 * @param secureBoot UEFI Secure Boot
 * @param tpm the TPM
 * @param fips whether the kernel runs in FIPS mode ({@code /proc/sys/crypto/fips_enabled}; a kernel
 *     without that file has no FIPS mode and reads as {@code false})
 * @param container the container runtime and cgroup limits
 * @param privileges this process's user and capabilities
 * @param findings the hardening checks, in a stable order
 */
public record DevicePosture(
    HostRoot root,
    Availability<OsIdentity> os,
    Availability<String> kernelRelease,
    Availability<KernelPreemption> preemption,
    Availability<RootFilesystem> rootFilesystem,
    MandatoryAccessControl mac,
    SecureBoot secureBoot,
    Tpm tpm,
    Availability<Boolean> fips,
    Container container,
    Availability<ProcessPrivileges> privileges,
    List<Finding> findings) {

  /**
   * Creates a report.
   *
   * @param root the root the report was read from
   * @param os the operating system's identity
   * @param kernelRelease the kernel release
   * @param preemption the preemption model
   * @param rootFilesystem the root file system
   * @param mac mandatory access control
   * @param secureBoot Secure Boot
   * @param tpm the TPM
   * @param fips FIPS mode
   * @param container the container
   * @param privileges the process's privileges
   * @param findings the findings
   */
  public DevicePosture {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(kernelRelease, "kernelRelease");
    Objects.requireNonNull(preemption, "preemption");
    Objects.requireNonNull(rootFilesystem, "rootFilesystem");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(secureBoot, "secureBoot");
    Objects.requireNonNull(tpm, "tpm");
    Objects.requireNonNull(fips, "fips");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(privileges, "privileges");
    findings = List.copyOf(findings);
  }

  /**
   * Reads the posture below {@code root}.
   *
   * <p>The environment is a parameter, not read by this method, because it belongs to a process and
   * not to a file tree: pass {@link System#getenv()} for the running system, or
   * {@link ProcessEnvironment#read(HostRoot)} (or an empty map) for a fixture or another root.
   * It is used for container markers such as {@code KUBERNETES_SERVICE_HOST} and {@code container}.
   *
   * @param root the directory standing in for {@code /}
   * @param environment the process environment
   * @return the report; never throws for missing, unreadable or malformed files
   */
  public static DevicePosture read(HostRoot root, Map<String, String> environment) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(environment, "environment");
    return PostureReader.read(root, Map.copyOf(environment));
  }

  /**
   * Returns the finding with the given id.
   *
   * @param id the finding's id, such as {@code secure-boot}
   * @return the finding, or empty when that check does not apply (container checks outside a container)
   */
  public Optional<Finding> finding(String id) {
    Objects.requireNonNull(id, "id");
    return findings.stream().filter(f -> f.id().equals(id)).findFirst();
  }

  /**
   * Returns the findings with the given status.
   *
   * @param status the status
   * @return the findings, in report order
   */
  public List<Finding> findings(FindingStatus status) {
    Objects.requireNonNull(status, "status");
    return findings.stream().filter(f -> f.status() == status).toList();
  }
}
