package org.edgesdk.linux.rt;

/** The work of one cycle of a {@link PeriodicRunner}. */
@FunctionalInterface
public interface PeriodicTask {
  /**
   * Runs one cycle.
   *
   * @param cycle the cycle number, from 0
   * @return {@code true} to run again at the next release, {@code false} to stop
   */
  boolean run(long cycle);
}
