package org.edgesdk.linux.rt;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The wake-up latencies a {@link LatencyProbe} measured, the numbers cyclictest prints: latency is
 * the time the thread woke minus the absolute time it asked to wake at.
 *
 * @param policy the policy the measuring thread ran at
 * @param intervalMicros the interval
 * @param loops the wake-ups measured
 * @param minNanos the smallest latency
 * @param maxNanos the largest latency
 * @param sumNanos the sum of all latencies
 * @param histogram counts per 1 us bucket: {@code histogram[n]} wake-ups were n to n+1 us late
 * @param overflows wake-ups later than the histogram covers
 */
public record LatencyResult(
    SchedPolicy policy, long intervalMicros, long loops, long minNanos, long maxNanos, long sumNanos,
    long[] histogram, long overflows) {

  /**
   * Creates a result.
   *
   * @param policy the policy
   * @param intervalMicros the interval
   * @param loops the wake-ups
   * @param minNanos the smallest latency
   * @param maxNanos the largest latency
   * @param sumNanos the sum of latencies
   * @param histogram the 1 us histogram (copied)
   * @param overflows wake-ups beyond the histogram
   */
  public LatencyResult {
    Objects.requireNonNull(policy, "policy");
    histogram = histogram.clone();
  }

  /**
   * Returns the 1 us histogram.
   *
   * @return a copy of the counts
   */
  @Override
  public long[] histogram() {
    return histogram.clone();
  }

  /**
   * Returns the smallest latency in whole microseconds (truncated, as cyclictest prints it).
   *
   * @return microseconds
   */
  public long minMicros() {
    return minNanos / 1000;
  }

  /**
   * Returns the largest latency in whole microseconds.
   *
   * @return microseconds
   */
  public long maxMicros() {
    return maxNanos / 1000;
  }

  /**
   * Returns the average latency in microseconds.
   *
   * @return microseconds, 0 without samples
   */
  public double avgMicros() {
    return loops == 0 ? 0 : sumNanos / 1000.0 / loops;
  }

  /**
   * Returns a percentile from the histogram: the lowest bucket at or below which the fraction
   * {@code q} of the wake-ups fell; {@link #maxMicros()} when that falls among the overflows.
   *
   * @param q the fraction, in (0, 1]
   * @return the percentile in whole microseconds
   * @throws IllegalArgumentException if {@code q} is outside (0, 1]
   */
  public long percentileMicros(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("percentile fraction " + q + " is outside (0, 1]");
    }
    long total = loops;
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int us = 0; us < histogram.length; us++) {
      seen += histogram[us];
      if (seen >= rank) {
        return us;
      }
    }
    return maxMicros();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LatencyResult r && policy.equals(r.policy) && intervalMicros == r.intervalMicros
        && loops == r.loops && minNanos == r.minNanos && maxNanos == r.maxNanos && sumNanos == r.sumNanos
        && java.util.Arrays.equals(histogram, r.histogram) && overflows == r.overflows;
  }

  @Override
  public int hashCode() {
    return Objects.hash(policy, intervalMicros, loops, minNanos, maxNanos, sumNanos, overflows)
        * 31 + java.util.Arrays.hashCode(histogram);
  }

  @Override
  public String toString() {
    return "LatencyResult[" + Diagnosis.describe(policy) + ", interval " + intervalMicros + " us, loops "
        + loops + ", min " + minMicros() + " us, avg " + String.format(java.util.Locale.ROOT, "%.2f", avgMicros())
        + " us, max " + maxMicros() + " us, overflows " + overflows + "]";
  }
}
