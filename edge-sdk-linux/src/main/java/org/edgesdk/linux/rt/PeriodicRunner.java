package org.edgesdk.linux.rt;

import java.time.Duration;
import java.util.Objects;
import org.edgesdk.linux.rt.internal.MonotonicClock;
import org.edgesdk.linux.rt.internal.NativeClock;

/**
 * Runs a task periodically on the calling thread with absolute release times: it sleeps with
 * {@code clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)} until {@code start + n * period}, so the
 * period does not drift with the task's run time. A cycle that ends after the next release is an
 * overrun: the listener is told, the releases already past are skipped and the runner continues on
 * the same grid. Run it on a thread from {@link RealTime#threadFactory} to run at a real-time policy.
 *
 * <pre>{@code
 * PeriodicRunner runner = new PeriodicRunner(Duration.ofMillis(1),
 *     (cycle, late, missed) -> overruns.increment());
 * PeriodicStats stats = runner.run(cycle -> { control.step(); return running; });
 * }</pre>
 *
 * <p>The loop allocates nothing per cycle; a runner is used by one thread at a time.
 */
public final class PeriodicRunner {
  private final long periodNanos;
  private final OverrunListener listener;
  private final MonotonicClock clock;
  private volatile boolean stopped;

  /**
   * Creates a runner on {@code CLOCK_MONOTONIC}.
   *
   * @param period the period, at least 1 us
   * @param listener told about overruns
   * @throws IllegalArgumentException if the period is below 1 us
   */
  public PeriodicRunner(Duration period, OverrunListener listener) {
    this(period, listener, new NativeClock());
  }

  PeriodicRunner(Duration period, OverrunListener listener, MonotonicClock clock) {
    Objects.requireNonNull(period, "period");
    if (period.toNanos() < 1_000) {
      throw new IllegalArgumentException("period " + period + " is below 1 us");
    }
    this.periodNanos = period.toNanos();
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = clock;
  }

  /**
   * Runs the task every period until it returns {@code false} or {@link #stop()} is called; the first
   * release is one period from now.
   *
   * @param task the task
   * @return what the run did
   */
  public PeriodicStats run(PeriodicTask task) {
    Objects.requireNonNull(task, "task");
    stopped = false;
    long cycles = 0;
    long overruns = 0;
    long missed = 0;
    long maxWake = 0;
    long maxCycle = 0;
    long release = clock.nanoTime() + periodNanos;
    while (!stopped) {
      clock.sleepUntil(release);
      long woke = clock.nanoTime();
      maxWake = Math.max(maxWake, woke - release);
      boolean again = task.run(cycles);
      long end = clock.nanoTime();
      maxCycle = Math.max(maxCycle, end - woke);
      long next = release + periodNanos;
      if (end > next) {
        long skip = (end - next) / periodNanos + 1;
        overruns++;
        missed += skip;
        listener.onOverrun(cycles, end - next, skip);
        next += skip * periodNanos;
      }
      release = next;
      cycles++;
      if (!again) {
        break;
      }
    }
    return new PeriodicStats(cycles, overruns, missed, maxWake, maxCycle);
  }

  /** Asks a running {@link #run(PeriodicTask)} to return after its current cycle; callable from any thread. */
  public void stop() {
    stopped = true;
  }
}
