package org.edgesdk.linux.rt.internal;

/**
 * The kernel's scheduling interface as the SDK uses it: the seam between the typed API and JNA, so
 * tests can put a fake kernel (one that answers EPERM, EINVAL, EBUSY) behind the same API. Every
 * method throws {@link ErrnoException} when the call fails.
 */
public interface SchedKernel {
  /**
   * Returns the calling thread's kernel thread id.
   *
   * @return the tid
   */
  int gettid();

  /**
   * {@code sched_setscheduler}.
   *
   * @param tid the thread
   * @param policy {@code SCHED_*}
   * @param priority the static priority (0 for non-real-time policies)
   */
  void setScheduler(int tid, int policy, int priority);

  /**
   * {@code setpriority(PRIO_PROCESS, tid, nice)}.
   *
   * @param tid the thread
   * @param nice the nice value
   */
  void setNice(int tid, int nice);

  /**
   * {@code sched_setattr}.
   *
   * @param tid the thread
   * @param values the attributes
   */
  void setAttr(int tid, SchedValues values);

  /**
   * {@code sched_getattr}.
   *
   * @param tid the thread
   * @return the attributes
   */
  SchedValues getAttr(int tid);

  /**
   * {@code sched_getscheduler}.
   *
   * @param tid the thread
   * @return the policy
   */
  int getScheduler(int tid);

  /**
   * {@code sched_get_priority_min}.
   *
   * @param policy {@code SCHED_*}
   * @return the lowest priority
   */
  int priorityMin(int policy);

  /**
   * {@code sched_get_priority_max}.
   *
   * @param policy {@code SCHED_*}
   * @return the highest priority
   */
  int priorityMax(int policy);

  /**
   * {@code sched_setaffinity}.
   *
   * @param tid the thread
   * @param words the mask as 64-bit little-endian words
   */
  void setAffinity(int tid, long[] words);

  /**
   * {@code sched_getaffinity}, with a mask as large as the kernel needs.
   *
   * @param tid the thread
   * @return the mask as 64-bit little-endian words
   */
  long[] getAffinity(int tid);

  /**
   * {@code mlockall}.
   *
   * @param flags {@code MCL_*}
   */
  void mlockall(int flags);

  /** {@code munlockall}. */
  void munlockall();

  /**
   * {@code prctl(PR_SET_TIMERSLACK, nanos)}.
   *
   * @param nanos the slack; 0 restores the thread's default
   */
  void setTimerSlack(long nanos);

  /**
   * {@code prctl(PR_GET_TIMERSLACK)}.
   *
   * @return the calling thread's slack in nanoseconds
   */
  long timerSlack();

  /**
   * {@code getrlimit}.
   *
   * @param resource {@code RLIMIT_*}
   * @return soft and hard limit, -1 for unlimited
   */
  long[] getrlimit(int resource);

  /**
   * Returns the kernel through JNA for the architecture this JVM runs on.
   *
   * @return the native kernel
   * @throws ErrnoException with ENOSYS if the architecture has no syscall table
   * @throws UnsatisfiedLinkError if JNA cannot load its native part
   */
  static SchedKernel jna() {
    return JnaSchedKernel.instance();
  }
}
