package org.edgesdk.linux.cpufreq;

import java.util.Objects;
import java.util.stream.Collectors;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.cpufreq.internal.AttributeWriter;

/**
 * CPU frequency scaling of one host, read from and written to the cpufreq sysfs files below a
 * {@link HostRoot}. Instances are immutable and thread-safe; each reads the files afresh.
 *
 * <pre>{@code
 * CpuFreq cpufreq = CpuFreq.of(HostRoot.system());
 * CpuFreqInfo info = cpufreq.read();
 * if (!info.isSupported()) {
 *   System.out.println(((Availability.Unavailable<?>) info.policies()).reason());
 * }
 * AppliedChange change = cpufreq.change(0).maxKHz(1_200_000).apply();
 * }</pre>
 */
public final class CpuFreq {
  private final HostRoot root;
  private final AttributeWriter writer;

  private CpuFreq(HostRoot root, AttributeWriter writer) {
    this.root = Objects.requireNonNull(root, "root");
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  /**
   * Returns the cpufreq control of the host below {@code root}.
   *
   * @param root the directory standing in for {@code /}
   * @return the control; no file is read until a method is called
   */
  public static CpuFreq of(HostRoot root) {
    return new CpuFreq(root, AttributeWriter.files());
  }

  /** The test seam: every write goes through {@code writer}. */
  static CpuFreq of(HostRoot root, AttributeWriter writer) {
    return new CpuFreq(root, writer);
  }

  /**
   * Returns the root this instance reads and writes below.
   *
   * @return the host root
   */
  public HostRoot root() {
    return root;
  }

  /**
   * Reads every policy, the global boost switch and the driver's global state.
   *
   * @return the state; on a host without cpufreq its policies are unavailable with the reason
   * @throws EdgeException if a file exists but cannot be read, or holds a value no kernel writes
   */
  public CpuFreqInfo read() {
    return new PolicyReader(root).read();
  }

  /**
   * Reads one policy.
   *
   * @param id the policy number ({@code policyX})
   * @return the policy
   * @throws EdgeException with {@link ErrorCode#UNSUPPORTED} on a host without cpufreq, or
   *     {@link ErrorCode#NOT_FOUND} naming the existing policies when there is no such policy or all
   *     its CPUs are offline
   */
  public Policy policy(int id) {
    CpuFreqInfo info = read();
    if (!info.isSupported()) {
      throw new EdgeException(ErrorCode.UNSUPPORTED, reason(info),
          "run on a host with CPU frequency scaling, or pass --root with a copy of one's /sys");
    }
    return info.policy(id).orElseThrow(() -> {
      for (CpuFreqInfo.OfflinePolicy offline : info.offlinePolicies()) {
        if (offline.id() == id) {
          return new EdgeException(ErrorCode.NOT_FOUND,
              "policy" + id + " has all its CPUs (" + offline.relatedCpus() + ") offline",
              "bring one online first: echo 1 > /sys/devices/system/cpu/cpu"
                  + offline.relatedCpus().stream().findFirst().orElse(id) + "/online");
        }
      }
      String ids = info.policies().orElseThrow().stream()
          .map(p -> String.valueOf(p.id())).collect(Collectors.joining(", "));
      return new EdgeException(ErrorCode.NOT_FOUND,
          "there is no cpufreq policy" + id + " below " + root.path(),
          "use one of the existing policies: " + ids
              + " (a policy is named after its first CPU, e.g. policy4 for CPUs 4-7)");
    });
  }

  /**
   * Starts a change of one policy. Nothing is read or written until {@link PolicyChange#apply()}.
   *
   * @param policyId the policy number ({@code policyX})
   * @return a new change, to be configured and applied
   * @throws IllegalArgumentException if {@code policyId} is negative
   */
  public PolicyChange change(int policyId) {
    if (policyId < 0) {
      throw new IllegalArgumentException("policy id " + policyId + " is negative");
    }
    return new PolicyChange(this, policyId);
  }

  AttributeWriter writer() {
    return writer;
  }

  static String reason(CpuFreqInfo info) {
    return info.policies() instanceof org.edgesdk.api.Availability.Unavailable<?> u ? u.reason() : "";
  }
}
