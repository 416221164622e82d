package org.edgesdk.linux.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.edgesdk.linux.rt.internal.MonotonicClock;
import org.junit.jupiter.api.Test;

class PeriodicRunnerTest {

  /** A clock that wakes a fixed latency after each deadline; tasks advance it by their run time. */
  static final class FakeClock implements MonotonicClock {
    long now = 1_000_000_000L;
    long wakeLatency = 2_000;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepUntil(long deadline) {
      sleeps.add(deadline);
      if (deadline > now) {
        now = deadline + wakeLatency;
      }
    }
  }

  @Test
  void run_releasesOnAbsoluteGrid_noDriftFromTaskTime() {
    FakeClock clock = new FakeClock();
    long start = clock.now;
    PeriodicRunner runner = new PeriodicRunner(Duration.ofMillis(1), OverrunListener.ignore(), clock);
    PeriodicStats stats = runner.run(cycle -> {
      clock.now += 300_000; // 0.3 ms of work
      return cycle < 4;
    });
    assertEquals(5, stats.cycles());
    assertEquals(0, stats.overruns());
    assertEquals(List.of(start + 1_000_000, start + 2_000_000, start + 3_000_000, start + 4_000_000,
        start + 5_000_000), clock.sleeps);
    assertEquals(2_000, stats.maxWakeLatencyNanos());
    assertEquals(300_000, stats.maxCycleNanos());
  }

  @Test
  void run_cycleLongerThanPeriod_reportsOverrunAndSkipsMissedReleases() {
    FakeClock clock = new FakeClock();
    long start = clock.now;
    List<long[]> overruns = new ArrayList<>();
    PeriodicRunner runner = new PeriodicRunner(Duration.ofMillis(1),
        (cycle, late, missed) -> overruns.add(new long[] {cycle, late, missed}), clock);
    PeriodicStats stats = runner.run(cycle -> {
      clock.now += cycle == 1 ? 2_500_000 : 100_000; // cycle 1 takes 2.5 periods
      return cycle < 3;
    });
    assertEquals(1, stats.overruns());
    assertEquals(1, overruns.size());
    // cycle 1 woke at start+2ms+2us, ended at start+4.502ms; its deadline was start+3ms
    assertEquals(1, overruns.get(0)[0]);
    assertEquals(1_502_000, overruns.get(0)[1]);
    assertEquals(2, overruns.get(0)[2]);
    assertEquals(2, stats.missedReleases());
    assertEquals(start + 5_000_000, clock.sleeps.get(2)); // back on the grid after skipping 3 and 4 ms
  }

  @Test
  void stop_fromTask_endsAfterThatCycle() {
    FakeClock clock = new FakeClock();
    PeriodicRunner runner = new PeriodicRunner(Duration.ofMillis(1), OverrunListener.ignore(), clock);
    PeriodicStats stats = runner.run(cycle -> {
      if (cycle == 2) {
        runner.stop();
      }
      return true;
    });
    assertEquals(3, stats.cycles());
  }

  @Test
  void constructor_periodBelow1us_refused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PeriodicRunner(Duration.ofNanos(500), OverrunListener.ignore()));
    assertTrue(e.getMessage().contains("PT0.0000005S"), e.getMessage());
  }

  @Test
  void run_onRealClock_tenCycles() {
    PeriodicStats stats = new PeriodicRunner(Duration.ofMillis(1), OverrunListener.ignore()).run(c -> c < 9);
    assertEquals(10, stats.cycles());
  }
}
