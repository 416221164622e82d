package org.edgesdk.linux.rt.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Direct-mapped C library functions (JNA {@link Native#register(Class, NativeLibrary)}): no proxy,
 * no reflection per call, no boxing. Functions declared {@code throws LastErrorException} capture
 * errno right after the call; the clock functions on the latency hot path return their error instead
 * (POSIX {@code clock_nanosleep} returns the error number and leaves errno alone).
 *
 * <p>{@code size_t}, {@code unsigned long} and {@code long} arguments are {@link NativeLong} so the
 * same bindings hold on 32-bit arm.
 */
@SuppressWarnings("checkstyle:MethodName")
public final class LibC {
  /** {@code CLOCK_MONOTONIC}. */
  public static final int CLOCK_MONOTONIC = 1;
  /** {@code TIMER_ABSTIME}: the request is an absolute time on the clock. */
  public static final int TIMER_ABSTIME = 1;
  /** {@code MCL_CURRENT}. */
  public static final int MCL_CURRENT = 1;
  /** {@code MCL_FUTURE}. */
  public static final int MCL_FUTURE = 2;
  /** {@code PR_SET_TIMERSLACK}. */
  public static final int PR_SET_TIMERSLACK = 29;
  /** {@code PR_GET_TIMERSLACK}. */
  public static final int PR_GET_TIMERSLACK = 30;
  /** {@code PRIO_PROCESS} (with a thread id: that thread, on Linux). */
  public static final int PRIO_PROCESS = 0;
  /** {@code RLIMIT_MEMLOCK} (generic numbering, x86_64, aarch64, arm). */
  public static final int RLIMIT_MEMLOCK = 8;
  /** {@code RLIMIT_NICE}. */
  public static final int RLIMIT_NICE = 13;
  /** {@code RLIMIT_RTPRIO}. */
  public static final int RLIMIT_RTPRIO = 14;

  static {
    Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  private LibC() {}

  /**
   * Sets policy and priority of a thread.
   *
   * @param pid the thread id, 0 for the caller
   * @param policy {@code SCHED_*}
   * @param param {@code struct sched_param}: one int, the priority
   * @return 0
   * @throws LastErrorException with errno on failure
   */
  public static native int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

  /**
   * Returns the policy of a thread.
   *
   * @param pid the thread id, 0 for the caller
   * @return {@code SCHED_*}, possibly with {@code SCHED_RESET_ON_FORK} set
   * @throws LastErrorException with errno on failure
   */
  public static native int sched_getscheduler(int pid) throws LastErrorException;

  /**
   * Returns the lowest priority of a policy.
   *
   * @param policy {@code SCHED_*}
   * @return the priority
   * @throws LastErrorException with errno on failure
   */
  public static native int sched_get_priority_min(int policy) throws LastErrorException;

  /**
   * Returns the highest priority of a policy.
   *
   * @param policy {@code SCHED_*}
   * @return the priority
   * @throws LastErrorException with errno on failure
   */
  public static native int sched_get_priority_max(int policy) throws LastErrorException;

  /**
   * Sets the CPU affinity mask of a thread.
   *
   * @param pid the thread id, 0 for the caller
   * @param size the mask size in bytes
   * @param mask the mask as 64-bit little-endian words
   * @return 0
   * @throws LastErrorException with errno on failure
   */
  public static native int sched_setaffinity(int pid, NativeLong size, long[] mask) throws LastErrorException;

  /**
   * Reads the CPU affinity mask of a thread.
   *
   * @param pid the thread id, 0 for the caller
   * @param size the mask size in bytes, at least the kernel's
   * @param mask receives the mask
   * @return 0 (the glibc wrapper)
   * @throws LastErrorException with errno on failure ({@code EINVAL} when the mask is too small)
   */
  public static native int sched_getaffinity(int pid, NativeLong size, long[] mask) throws LastErrorException;

  /**
   * Locks the process's memory.
   *
   * @param flags {@code MCL_*}
   * @return 0
   * @throws LastErrorException with errno on failure
   */
  public static native int mlockall(int flags) throws LastErrorException;

  /**
   * Unlocks the process's memory.
   *
   * @return 0
   * @throws LastErrorException with errno on failure
   */
  public static native int munlockall() throws LastErrorException;

  /**
   * Sets the nice value of a thread ({@code PRIO_PROCESS} with a thread id).
   *
   * @param which {@code PRIO_PROCESS}
   * @param who the thread id
   * @param prio the nice value
   * @return 0
   * @throws LastErrorException with errno on failure
   */
  public static native int setpriority(int which, int who, int prio) throws LastErrorException;

  /**
   * Calls {@code prctl}.
   *
   * @param option {@code PR_*}
   * @param arg2 second argument
   * @param arg3 third argument
   * @param arg4 fourth argument
   * @param arg5 fifth argument
   * @return the option's result
   * @throws LastErrorException with errno on failure
   */
  public static native int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5)
      throws LastErrorException;

  /**
   * Reads a resource limit.
   *
   * @param resource {@code RLIMIT_*}
   * @param rlim receives the limits
   * @return 0
   * @throws LastErrorException with errno on failure
   */
  public static native int getrlimit(int resource, Rlimit rlim) throws LastErrorException;

  /**
   * A system call without arguments ({@code gettid}).
   *
   * @param number the call's number from the {@link SyscallTable}
   * @return the result
   * @throws LastErrorException with errno on failure
   */
  public static native NativeLong syscall(NativeLong number) throws LastErrorException;

  /**
   * {@code sched_setattr(pid, attr, flags)}.
   *
   * @param number the call's number from the {@link SyscallTable}
   * @param pid the thread id, 0 for the caller
   * @param attr the attributes
   * @param flags 0
   * @return 0
   * @throws LastErrorException with errno on failure
   */
  public static native NativeLong syscall(NativeLong number, int pid, SchedAttr attr, int flags)
      throws LastErrorException;

  /**
   * {@code sched_getattr(pid, attr, size, flags)}.
   *
   * @param number the call's number from the {@link SyscallTable}
   * @param pid the thread id, 0 for the caller
   * @param attr receives the attributes
   * @param size the structure size
   * @param flags 0
   * @return 0
   * @throws LastErrorException with errno on failure
   */
  public static native NativeLong syscall(NativeLong number, int pid, SchedAttr attr, int size, int flags)
      throws LastErrorException;

  /**
   * Reads a clock into a {@code struct timespec} (two C longs).
   *
   * @param clock the clock id
   * @param ts receives the time
   * @return 0, or -1 for an invalid clock
   */
  public static native int clock_gettime(int clock, Pointer ts);

  /**
   * Sleeps until (with {@link #TIMER_ABSTIME}) or for a time on a clock.
   *
   * @param clock the clock id
   * @param flags 0 or {@link #TIMER_ABSTIME}
   * @param request the time
   * @param remain receives the remaining time of a relative sleep; may be null
   * @return 0, or the error number ({@code EINTR} when a signal interrupted the sleep)
   */
  public static native int clock_nanosleep(int clock, int flags, Pointer request, Pointer remain);
}
