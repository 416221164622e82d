package org.edgesdk.ota.ab;

import java.time.Duration;

/**
 * Waits, for the bandwidth limit of {@link AbUpdater.Builder#bandwidthLimit(long)}; a test seam
 * like Caffeine's {@code Ticker}: tests inject one that advances a fake clock instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {
  /**
   * Waits for a duration.
   *
   * @param duration how long, positive
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Returns the sleeper that calls {@link Thread#sleep(long, int)}.
   *
   * @return the system sleeper
   */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
  }
}
