package org.edgesdk.linux.rt.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * {@code CLOCK_MONOTONIC} read and slept on through {@code clock_gettime} and
 * {@code clock_nanosleep(TIMER_ABSTIME)}, allocating nothing per call: the two {@code struct
 * timespec}s live in native memory owned by this object. Use one instance per thread.
 */
public final class NativeClock implements MonotonicClock {
  private static final boolean LONG64 = Native.LONG_SIZE == 8;
  private static final long NANOS = 1_000_000_000L;

  private final Memory request = new Memory(16);
  private final Memory now = new Memory(16);

  /** Creates a clock with its own timespec buffers. */
  public NativeClock() {
    request.clear();
    now.clear();
  }

  @Override
  public long nanoTime() {
    LibC.clock_gettime(LibC.CLOCK_MONOTONIC, now);
    if (LONG64) {
      return now.getLong(0) * NANOS + now.getLong(8);
    }
    return (now.getInt(0) & 0xffffffffL) * NANOS + now.getInt(4);
  }

  @Override
  public void sleepUntil(long deadlineNanos) {
    long sec = deadlineNanos / NANOS;
    long nsec = deadlineNanos % NANOS;
    if (LONG64) {
      request.setLong(0, sec);
      request.setLong(8, nsec);
    } else {
      request.setInt(0, (int) sec);
      request.setInt(4, (int) nsec);
    }
    int rc;
    do {
      rc = LibC.clock_nanosleep(LibC.CLOCK_MONOTONIC, LibC.TIMER_ABSTIME, request, null);
    } while (rc == Errno.EINTR);
    if (rc != 0) {
      throw new ErrnoException("clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, " + deadlineNanos + ")", rc);
    }
  }
}
