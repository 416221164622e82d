package org.edgesdk.linux.rt;

/** The resource limits that decide what an unprivileged process may do for real-time work. */
public enum ResourceLimit {
  /** {@code RLIMIT_MEMLOCK}: bytes the process may lock without CAP_IPC_LOCK. */
  MEMLOCK(8),
  /** {@code RLIMIT_NICE}: the ceiling of the nice value, as 20 - nice. */
  NICE(13),
  /** {@code RLIMIT_RTPRIO}: the highest SCHED_FIFO/SCHED_RR priority without CAP_SYS_NICE. */
  RTPRIO(14);

  private final int resource;

  ResourceLimit(int resource) {
    this.resource = resource;
  }

  /**
   * Returns the kernel's number of the limit.
   *
   * @return the {@code RLIMIT_*} value
   */
  public int resource() {
    return resource;
  }
}
