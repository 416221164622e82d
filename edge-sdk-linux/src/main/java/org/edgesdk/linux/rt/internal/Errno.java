package org.edgesdk.linux.rt.internal;

/**
 * The errno values the scheduling calls return, with their names. The numbers are those of the
 * generic Linux ABI (asm-generic/errno-base.h), shared by x86_64, aarch64 and arm.
 */
public final class Errno {
  /** Operation not permitted. */
  public static final int EPERM = 1;
  /** No such process (or thread). */
  public static final int ESRCH = 3;
  /** Interrupted by a signal. */
  public static final int EINTR = 4;
  /** Argument list too long (sched_attr size mismatch). */
  public static final int E2BIG = 7;
  /** Try again. */
  public static final int EAGAIN = 11;
  /** Out of memory (mlockall above RLIMIT_MEMLOCK). */
  public static final int ENOMEM = 12;
  /** Permission denied. */
  public static final int EACCES = 13;
  /** Bad address. */
  public static final int EFAULT = 14;
  /** Device or resource busy (SCHED_DEADLINE admission control). */
  public static final int EBUSY = 16;
  /** Invalid argument. */
  public static final int EINVAL = 22;
  /** Function not implemented. */
  public static final int ENOSYS = 38;

  private Errno() {}

  /**
   * Returns the symbolic name of an errno value.
   *
   * @param errno the value
   * @return the name, for example {@code EPERM}, or {@code errno N} for values not listed here
   */
  public static String name(int errno) {
    switch (errno) {
      case EPERM: return "EPERM";
      case ESRCH: return "ESRCH";
      case EINTR: return "EINTR";
      case E2BIG: return "E2BIG";
      case EAGAIN: return "EAGAIN";
      case ENOMEM: return "ENOMEM";
      case EACCES: return "EACCES";
      case EFAULT: return "EFAULT";
      case EBUSY: return "EBUSY";
      case EINVAL: return "EINVAL";
      case ENOSYS: return "ENOSYS";
      default: return "errno " + errno;
    }
  }
}
