package org.edgesdk.linux.rt.internal;

/**
 * A monotonic clock that a thread can sleep on until an absolute time: {@link NativeClock} in
 * production, a fake in tests of the periodic runner.
 */
public interface MonotonicClock {
  /**
   * Returns the clock's time.
   *
   * @return nanoseconds on the clock ({@code CLOCK_MONOTONIC})
   */
  long nanoTime();

  /**
   * Sleeps until the clock reaches {@code deadlineNanos}; returns at once if it has passed.
   *
   * @param deadlineNanos the absolute wake-up time
   */
  void sleepUntil(long deadlineNanos);
}
