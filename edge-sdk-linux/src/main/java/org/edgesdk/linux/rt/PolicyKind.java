package org.edgesdk.linux.rt;

import java.util.Locale;
import java.util.Optional;

/** The Linux scheduling policies, with the numbers the kernel uses for them ({@code SCHED_*}). */
public enum PolicyKind {
  /** {@code SCHED_OTHER} (also called SCHED_NORMAL): the default time-sharing policy, with a nice value. */
  OTHER(0),
  /** {@code SCHED_FIFO}: real-time, first in first out within a priority, 1..99. */
  FIFO(1),
  /** {@code SCHED_RR}: real-time, round robin with a time slice within a priority, 1..99. */
  RR(2),
  /** {@code SCHED_BATCH}: time-sharing for CPU-bound batch work, with a nice value. */
  BATCH(3),
  /** {@code SCHED_IDLE}: runs only when nothing else wants the CPU. */
  IDLE(5),
  /** {@code SCHED_DEADLINE}: earliest deadline first with runtime, deadline and period (CBS). */
  DEADLINE(6);

  /** {@code SCHED_RESET_ON_FORK}, or-ed into the policy that {@code sched_getscheduler} returns. */
  static final int RESET_ON_FORK = 0x40000000;

  private final int kernelValue;

  PolicyKind(int kernelValue) {
    this.kernelValue = kernelValue;
  }

  /**
   * Returns the kernel's number of this policy.
   *
   * @return the {@code SCHED_*} value
   */
  public int kernelValue() {
    return kernelValue;
  }

  /**
   * Returns whether the policy is a static-priority real-time policy (FIFO or RR).
   *
   * @return {@code true} for {@link #FIFO} and {@link #RR}
   */
  public boolean isRealTime() {
    return this == FIFO || this == RR;
  }

  /**
   * Returns the kernel's name of the policy.
   *
   * @return for example {@code SCHED_FIFO}
   */
  public String kernelName() {
    return "SCHED_" + name();
  }

  /**
   * Returns the policy of a kernel number, ignoring {@code SCHED_RESET_ON_FORK}.
   *
   * @param value a {@code SCHED_*} value
   * @return the policy, or empty for a number this SDK does not know
   */
  public static Optional<PolicyKind> fromKernel(int value) {
    int v = value & ~RESET_ON_FORK;
    for (PolicyKind k : values()) {
      if (k.kernelValue == v) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the policy named as {@code chrt} and {@code cyclictest --policy} name it ({@code other},
   * {@code normal}, {@code batch}, {@code idle}, {@code fifo}, {@code rr}, {@code deadline}).
   *
   * @param name the name, in any case
   * @return the policy
   * @throws IllegalArgumentException naming the valid names if {@code name} is none of them
   */
  public static PolicyKind parse(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    switch (n) {
      case "other":
      case "normal":
        return OTHER;
      case "batch":
        return BATCH;
      case "idle":
        return IDLE;
      case "fifo":
        return FIFO;
      case "rr":
        return RR;
      case "deadline":
        return DEADLINE;
      default:
        throw new IllegalArgumentException(
            "policy '" + name + "' is not one of other, normal, batch, idle, fifo, rr, deadline");
    }
  }
}
