package org.edgesdk.linux.rt;

/** Told by a {@link PeriodicRunner} when a cycle ends after the next cycle's release time. */
@FunctionalInterface
public interface OverrunListener {
  /**
   * Reports an overrun. Called on the periodic thread: keep it short and allocation-light.
   *
   * @param cycle the cycle that overran
   * @param overrunNanos how far past its deadline (the next release) the cycle ended
   * @param missedReleases how many releases were skipped to get back on the period grid (at least 1)
   */
  void onOverrun(long cycle, long overrunNanos, long missedReleases);

  /**
   * Returns a listener that ignores overruns (they are still counted in {@link PeriodicStats}).
   *
   * @return the listener
   */
  static OverrunListener ignore() {
    return (cycle, overrunNanos, missed) -> { };
  }
}
