package org.edgesdk.linux.rt.internal;

/**
 * A C library call or system call failed with an errno; the public API turns it into an
 * {@link org.edgesdk.api.EdgeException} with a diagnosis.
 */
public final class ErrnoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The failed call, as written in C with its arguments. */
  private final String call;
  /** The errno value. */
  private final int errno;

  /**
   * Creates the exception.
   *
   * @param call the failed call, for example {@code sched_setscheduler(1234, SCHED_FIFO, 80)}
   * @param errno the errno value
   */
  public ErrnoException(String call, int errno) {
    super(call + " failed: " + Errno.name(errno));
    this.call = call;
    this.errno = errno;
  }

  /**
   * Returns the failed call.
   *
   * @return the call with its arguments
   */
  public String call() {
    return call;
  }

  /**
   * Returns the errno value.
   *
   * @return the errno
   */
  public int errno() {
    return errno;
  }

  /**
   * Returns the symbolic errno name.
   *
   * @return for example {@code EPERM}
   */
  public String errnoName() {
    return Errno.name(errno);
  }
}
