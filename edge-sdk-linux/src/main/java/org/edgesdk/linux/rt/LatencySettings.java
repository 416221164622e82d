package org.edgesdk.linux.rt;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a {@link LatencyProbe} run measures, with cyclictest's defaults where it has them.
 *
 * @param policy the policy the measuring thread runs at (cyclictest {@code --policy}, {@code -p})
 * @param interval the wake-up interval (cyclictest {@code -i}, default 1000 us)
 * @param loops how many wake-ups to measure (cyclictest {@code -l})
 * @param cpu the CPU to pin the measuring thread to (cyclictest {@code -a}), or empty
 * @param lockMemory whether to {@code mlockall} for the run (cyclictest {@code -m})
 * @param histogramMicros the histogram's size in 1 us buckets; larger latencies are overflows
 *     (cyclictest {@code -h})
 */
public record LatencySettings(
    SchedPolicy policy, Duration interval, long loops, OptionalInt cpu, boolean lockMemory, int histogramMicros) {

  /** The default histogram size, 10 ms in 1 us buckets. */
  public static final int DEFAULT_HISTOGRAM_MICROS = 10_000;

  /**
   * Creates settings.
   *
   * @param policy the policy of the measuring thread
   * @param interval the interval, 10 us to 1 s
   * @param loops the number of wake-ups, at least 1
   * @param cpu the CPU to pin to, or empty
   * @param lockMemory whether to lock memory
   * @param histogramMicros the histogram size, 1 to 1000000
   * @throws IllegalArgumentException if a value is out of range
   */
  public LatencySettings {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(cpu, "cpu");
    if (interval.toNanos() < 10_000 || interval.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("interval " + interval.toNanos() / 1000 + " us is outside 10..1000000 us");
    }
    if (loops < 1) {
      throw new IllegalArgumentException("loops " + loops + " is below 1");
    }
    if (histogramMicros < 1 || histogramMicros > 1_000_000) {
      throw new IllegalArgumentException("histogram size " + histogramMicros + " us is outside 1..1000000");
    }
    if (cpu.isPresent() && cpu.getAsInt() < 0) {
      throw new IllegalArgumentException("cpu " + cpu.getAsInt() + " is negative");
    }
  }

  /**
   * Returns settings like {@code cyclictest -p PRIORITY -i 1000 -l LOOPS}: SCHED_FIFO, 1 ms interval,
   * no pinning, no memory locking, a 10 ms histogram.
   *
   * @param priority the SCHED_FIFO priority
   * @param loops the number of wake-ups
   * @return the settings
   */
  public static LatencySettings fifo(int priority, long loops) {
    return new LatencySettings(SchedPolicy.fifo(priority), Duration.ofMillis(1), loops, OptionalInt.empty(),
        false, DEFAULT_HISTOGRAM_MICROS);
  }
}
