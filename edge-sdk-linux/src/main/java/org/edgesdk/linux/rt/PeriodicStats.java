package org.edgesdk.linux.rt;

/**
 * What a {@link PeriodicRunner} run did.
 *
 * @param cycles cycles run
 * @param overruns cycles that ended after the next release
 * @param missedReleases releases skipped because of overruns
 * @param maxWakeLatencyNanos the largest delay between a release time and the thread waking for it
 * @param maxCycleNanos the longest cycle, from waking to the task's return
 */
public record PeriodicStats(
    long cycles, long overruns, long missedReleases, long maxWakeLatencyNanos, long maxCycleNanos) {}
