package org.edgesdk.linux.kernel;

/** How preemptible the kernel is, from least to most suited to real-time work (UNKNOWN aside). */
public enum PreemptionModel {
  /** The source could not tell; see the evidence. */
  UNKNOWN,
  /** {@code CONFIG_PREEMPT_NONE}: no forced preemption (server kernels). */
  NONE,
  /** {@code CONFIG_PREEMPT_VOLUNTARY}: explicit preemption points (desktop kernels). */
  VOLUNTARY,
  /** {@code CONFIG_PREEMPT}: fully preemptible kernel except critical sections (low-latency desktop). */
  PREEMPT,
  /**
   * {@code CONFIG_PREEMPT_DYNAMIC}: the model is chosen at boot ({@code preempt=}) or at run time
   * (debugfs {@code sched/preempt}); the live mode is reported separately.
   */
  PREEMPT_DYNAMIC,
  /** {@code CONFIG_PREEMPT_RT}: the real-time kernel (mainline since 6.12, or the out-of-tree patch). */
  PREEMPT_RT
}
