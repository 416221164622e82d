package org.edgesdk.linux.rt;

import java.util.List;
import java.util.Objects;

/**
 * The result of applying a policy: what the kernel reports the thread runs at now, and any warnings
 * the guardrails raised (also logged).
 *
 * @param threadId the kernel thread id the policy was applied to
 * @param policy the policy read back from the kernel after applying
 * @param warnings warnings, for example that real-time threads may starve the JVM's own threads
 */
public record Applied(int threadId, SchedPolicy policy, List<String> warnings) {
  /**
   * Creates a result.
   *
   * @param threadId the kernel thread id
   * @param policy the policy read back
   * @param warnings the warnings
   */
  public Applied {
    Objects.requireNonNull(policy, "policy");
    warnings = List.copyOf(warnings);
  }
}
