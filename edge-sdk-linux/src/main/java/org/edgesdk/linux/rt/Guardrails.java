package org.edgesdk.linux.rt;

import java.util.Optional;
import java.util.OptionalLong;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;

/** Checks before and after a policy is applied. Pure functions of their arguments. */
final class Guardrails {
  private Guardrails() {}

  /** Refuses a priority outside the kernel's range, and the top priority unless opted in. */
  static void checkPriority(SchedPolicy policy, PriorityRange range, boolean allowMaxPriority) {
    if (!policy.kind().isRealTime()) {
      return;
    }
    int p = policy.priority();
    if (!range.contains(p)) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
          policy.kind().kernelName() + " priority " + p + " is outside the kernel's range " + range
              + " (sched_get_priority_min/max)",
          "choose a priority within " + range + "; 50..80 is usual for application threads");
    }
    if (p == range.max() && !allowMaxPriority) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
          policy.kind().kernelName() + " priority " + p + " is the kernel's highest, which its own"
              + " per-CPU threads (migration, watchdog) need, and it starves the JVM's threads",
          "use a lower priority such as 80, or opt in with RealTime.allowingMaxPriority()");
    }
  }

  /**
   * Warns when the real-time threads the SDK knows of can occupy every CPU the process may use: then
   * the JVM's own threads (GC, JIT compiler, the VM thread at safepoints) get no CPU while they spin.
   *
   * @param rtThreads live FIFO/RR threads, including the one just changed
   * @param pinned the CPUs those threads are pinned to one by one (threads with a single-CPU affinity)
   * @param allowed the CPUs the process may use
   * @param rtRuntimeUs kernel.sched_rt_runtime_us, when known
   */
  static Optional<String> starvation(int rtThreads, CpuSet pinned, CpuSet allowed, OptionalLong rtRuntimeUs) {
    if (rtThreads == 0 || allowed.isEmpty()) {
      return Optional.empty();
    }
    boolean noneLeft = rtThreads >= allowed.size() || pinned.containsAll(allowed);
    if (!noneLeft) {
      return Optional.empty();
    }
    String throttle = rtRuntimeUs.isPresent() && rtRuntimeUs.getAsLong() < 0
        ? "RT throttling is off (kernel.sched_rt_runtime_us = -1), so a busy real-time loop can hang the JVM"
        : "only RT throttling (kernel.sched_rt_runtime_us = "
            + (rtRuntimeUs.isPresent() ? rtRuntimeUs.getAsLong() : "unknown") + ") leaves them a little time";
    return Optional.of(rtThreads + " SCHED_FIFO/SCHED_RR thread(s) can occupy all " + allowed.size()
        + " CPU(s) this JVM may use (" + allowed + "): the JVM's own threads (GC, JIT, safepoints) may"
        + " starve; " + throttle + ". Pin real-time threads to a subset of CPUs and leave at least one"
        + " CPU for the JVM");
  }
}
