package org.edgesdk.api.store;

/**
 * A monotonic time source in nanoseconds, unaffected by changes of the wall clock (like Caffeine's
 * {@code Ticker}). The queue measures time-to-live on it, so an NTP step or a device without a
 * real-time clock booting at 1970 neither expires nor revives messages.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Returns the current reading; only differences between readings are meaningful.
   *
   * @return nanoseconds since an arbitrary, fixed origin
   */
  long read();

  /**
   * Returns the ticker of the running JVM, {@link System#nanoTime()}.
   *
   * @return the system ticker
   */
  static Ticker systemTicker() {
    return System::nanoTime;
  }
}
