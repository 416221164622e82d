package org.edgesdk.linux.rt;

import java.time.Duration;
import java.util.Objects;

/**
 * A scheduling policy with its parameters, as applied to a thread and as read back from it.
 *
 * <pre>{@code
 * SchedPolicy.fifo(80)                                   // SCHED_FIFO priority 80
 * SchedPolicy.other(-5)                                  // SCHED_OTHER nice -5
 * SchedPolicy.deadline(Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10))
 * }</pre>
 *
 * <p>Values are checked for their own shape here (nice within -20..19, a priority of at least 1,
 * runtime &le; deadline &le; period); the kernel's priority range is checked when the policy is
 * applied, by {@link RealTime}.
 */
public sealed interface SchedPolicy
    permits SchedPolicy.Other, SchedPolicy.Batch, SchedPolicy.Idle, SchedPolicy.Fifo,
        SchedPolicy.RoundRobin, SchedPolicy.Deadline {

  /**
   * Returns the policy's kind.
   *
   * @return the kind
   */
  PolicyKind kind();

  /**
   * Returns the static priority: the FIFO or RR priority, 0 for the other policies.
   *
   * @return the priority
   */
  default int priority() {
    return 0;
  }

  /**
   * Returns {@code SCHED_OTHER} with a nice value.
   *
   * @param nice -20 (most favoured) to 19
   * @return the policy
   * @throws IllegalArgumentException if {@code nice} is outside -20..19
   */
  static SchedPolicy other(int nice) {
    return new Other(nice);
  }

  /**
   * Returns {@code SCHED_BATCH} with a nice value.
   *
   * @param nice -20 to 19
   * @return the policy
   * @throws IllegalArgumentException if {@code nice} is outside -20..19
   */
  static SchedPolicy batch(int nice) {
    return new Batch(nice);
  }

  /**
   * Returns {@code SCHED_IDLE}.
   *
   * @return the policy
   */
  static SchedPolicy idle() {
    return new Idle();
  }

  /**
   * Returns {@code SCHED_FIFO} at a priority.
   *
   * @param priority 1..99 on Linux; checked against the kernel's range when applied
   * @return the policy
   * @throws IllegalArgumentException if {@code priority} is below 1
   */
  static SchedPolicy fifo(int priority) {
    return new Fifo(priority);
  }

  /**
   * Returns {@code SCHED_RR} at a priority.
   *
   * @param priority 1..99 on Linux; checked against the kernel's range when applied
   * @return the policy
   * @throws IllegalArgumentException if {@code priority} is below 1
   */
  static SchedPolicy rr(int priority) {
    return new RoundRobin(priority);
  }

  /**
   * Returns {@code SCHED_DEADLINE}.
   *
   * @param runtime the CPU time the thread needs each period
   * @param deadline the time after each period start by which it must have had it
   * @param period the period
   * @return the policy
   * @throws IllegalArgumentException unless 1 us &le; runtime &le; deadline &le; period
   */
  static SchedPolicy deadline(Duration runtime, Duration deadline, Duration period) {
    return new Deadline(runtime, deadline, period);
  }

  /**
   * Returns a policy of the given kind with its one parameter: the nice value for OTHER and BATCH,
   * the priority for FIFO and RR, ignored for IDLE.
   *
   * @param kind the kind, not DEADLINE
   * @param parameter the nice value or priority
   * @return the policy
   * @throws IllegalArgumentException for DEADLINE, which needs three durations, or a bad parameter
   */
  static SchedPolicy of(PolicyKind kind, int parameter) {
    switch (kind) {
      case OTHER:
        return other(parameter);
      case BATCH:
        return batch(parameter);
      case IDLE:
        return idle();
      case FIFO:
        return fifo(parameter);
      case RR:
        return rr(parameter);
      default:
        throw new IllegalArgumentException(
            "policy " + kind + " needs runtime, deadline and period; use SchedPolicy.deadline(...)");
    }
  }

  private static int checkNice(int nice) {
    if (nice < -20 || nice > 19) {
      throw new IllegalArgumentException("nice " + nice + " is outside -20..19");
    }
    return nice;
  }

  private static int checkPriority(int priority) {
    if (priority < 1) {
      throw new IllegalArgumentException(
          "real-time priority " + priority + " is below 1; SCHED_FIFO and SCHED_RR use 1..99");
    }
    return priority;
  }

  /**
   * {@code SCHED_OTHER}.
   *
   * @param nice the nice value, -20..19
   */
  record Other(int nice) implements SchedPolicy {
    /**
     * Creates the policy.
     *
     * @param nice the nice value, -20..19
     */
    public Other {
      checkNice(nice);
    }

    @Override
    public PolicyKind kind() {
      return PolicyKind.OTHER;
    }
  }

  /**
   * {@code SCHED_BATCH}.
   *
   * @param nice the nice value, -20..19
   */
  record Batch(int nice) implements SchedPolicy {
    /**
     * Creates the policy.
     *
     * @param nice the nice value, -20..19
     */
    public Batch {
      checkNice(nice);
    }

    @Override
    public PolicyKind kind() {
      return PolicyKind.BATCH;
    }
  }

  /** {@code SCHED_IDLE}. */
  record Idle() implements SchedPolicy {
    @Override
    public PolicyKind kind() {
      return PolicyKind.IDLE;
    }
  }

  /**
   * {@code SCHED_FIFO}.
   *
   * @param priority the static priority, at least 1
   */
  record Fifo(int priority) implements SchedPolicy {
    /**
     * Creates the policy.
     *
     * @param priority the static priority, at least 1
     */
    public Fifo {
      checkPriority(priority);
    }

    @Override
    public PolicyKind kind() {
      return PolicyKind.FIFO;
    }
  }

  /**
   * {@code SCHED_RR}.
   *
   * @param priority the static priority, at least 1
   */
  record RoundRobin(int priority) implements SchedPolicy {
    /**
     * Creates the policy.
     *
     * @param priority the static priority, at least 1
     */
    public RoundRobin {
      checkPriority(priority);
    }

    @Override
    public PolicyKind kind() {
      return PolicyKind.RR;
    }
  }

  /**
   * {@code SCHED_DEADLINE}.
   *
   * @param runtime CPU time per period
   * @param deadline relative deadline
   * @param period the period
   */
  record Deadline(Duration runtime, Duration deadline, Duration period) implements SchedPolicy {
    /**
     * Creates the policy.
     *
     * @param runtime CPU time per period, at least 1 us (the kernel's minimum, 2^10 ns)
     * @param deadline relative deadline, at least {@code runtime}
     * @param period the period, at least {@code deadline}
     */
    public Deadline {
      Objects.requireNonNull(runtime, "runtime");
      Objects.requireNonNull(deadline, "deadline");
      Objects.requireNonNull(period, "period");
      if (runtime.toNanos() < 1024) {
        throw new IllegalArgumentException(
            "SCHED_DEADLINE runtime " + runtime + " is below the kernel's minimum of 1024 ns");
      }
      if (deadline.compareTo(runtime) < 0 || period.compareTo(deadline) < 0) {
        throw new IllegalArgumentException("SCHED_DEADLINE needs runtime <= deadline <= period, got runtime "
            + runtime + ", deadline " + deadline + ", period " + period);
      }
    }

    @Override
    public PolicyKind kind() {
      return PolicyKind.DEADLINE;
    }
  }
}
