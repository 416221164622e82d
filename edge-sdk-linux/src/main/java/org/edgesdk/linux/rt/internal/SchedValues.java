package org.edgesdk.linux.rt.internal;

/**
 * The contents of {@code struct sched_attr} as plain values.
 *
 * @param policy {@code SCHED_*}
 * @param flags {@code SCHED_FLAG_*}
 * @param nice the nice value
 * @param priority the static priority
 * @param runtimeNanos SCHED_DEADLINE runtime
 * @param deadlineNanos SCHED_DEADLINE relative deadline
 * @param periodNanos SCHED_DEADLINE period
 */
public record SchedValues(
    int policy, long flags, int nice, int priority, long runtimeNanos, long deadlineNanos, long periodNanos) {}
