package org.edgesdk.linux.rt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.OptionalInt;
import org.edgesdk.api.EdgeException;
import org.edgesdk.linux.rt.internal.MonotonicClock;
import org.edgesdk.linux.rt.internal.NativeClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LatencyProbeTest {

  /** Wakes each deadline with the next latency of a script, in nanoseconds. */
  static final class ScriptedClock implements MonotonicClock {
    long now = 5_000_000_000L;
    final long[] latencies;
    int next;

    ScriptedClock(long... latencies) {
      this.latencies = latencies;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepUntil(long deadline) {
      now = Math.max(now, deadline) + latencies[next++ % latencies.length];
    }
  }

  @Test
  void loop_latencyIsWakeMinusDeadline_in1usBuckets() {
    ScriptedClock clock = new ScriptedClock(1_500, 2_999, 7_000, 12_000_000);
    long[] histogram = new long[10];
    long[] stats = new long[4];
    LatencyProbe.loop(clock, 1_000_000, 4, histogram, stats);
    assertArrayEquals(new long[] {0, 1, 1, 0, 0, 0, 0, 1, 0, 0}, histogram);
    assertEquals(1_500, stats[0]);
    assertEquals(12_000_000, stats[1]);
    assertEquals(1_500 + 2_999 + 7_000 + 12_000_000, stats[2]);
    assertEquals(1, stats[3]);
  }

  @Test
  void result_percentilesFromHistogram_overflowIsMax() {
    long[] histogram = new long[100];
    histogram[10] = 900;
    histogram[20] = 90;
    histogram[50] = 9;
    LatencyResult r = new LatencyResult(SchedPolicy.fifo(80), 1000, 1000, 10_100, 250_000, 12_000_000, histogram, 1);
    assertEquals(10, r.percentileMicros(0.5));
    assertEquals(20, r.percentileMicros(0.99));
    assertEquals(50, r.percentileMicros(0.999));
    assertEquals(250, r.percentileMicros(1.0));
    assertEquals(12.0, r.avgMicros());
    assertEquals(10, r.minMicros());
  }

  private static long allocatedBytes() throws ReflectiveOperationException {
    // com.sun.management.ThreadMXBean, reflectively: this module does not read jdk.management.
    Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
    Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
    return (long) m.invoke(bean);
  }

  @Test
  void loop_onNativeClock_allocatesNothingPerWakeUp() throws ReflectiveOperationException {
    NativeClock clock = new NativeClock();
    long[] histogram = new long[1000];
    long[] stats = new long[4];
    LatencyProbe.loop(clock, 20_000, 2_000, histogram, stats); // warm up: JIT-compile the loop
    long before = allocatedBytes();
    LatencyProbe.loop(clock, 20_000, 100, histogram, stats);
    long shortRun = allocatedBytes() - before;
    before = allocatedBytes();
    LatencyProbe.loop(clock, 20_000, 2_100, histogram, stats);
    long longRun = allocatedBytes() - before;
    // 2000 more wake-ups must not allocate more: even one 16-byte object per wake-up would be 32 KB.
    // The bound is half of that, so JIT recompilation and safepoint bookkeeping under load (a few KB,
    // seen on a loaded 2-core CI machine) do not make the test flaky.
    assertTrue(longRun - shortRun < 16_000, "short run " + shortRun + " B, long run " + longRun + " B");
  }

  @Test
  void run_otherPolicy_measuresEveryLoop() throws InterruptedException {
    LatencySettings s = new LatencySettings(SchedPolicy.other(0), Duration.ofNanos(200_000), 200,
        OptionalInt.empty(), false, 1000);
    LatencyResult r = new LatencyProbe(RealTime.system()).run(s);
    assertEquals(200, r.loops());
    assertEquals(200, java.util.Arrays.stream(r.histogram()).sum() + r.overflows());
    assertTrue(r.minNanos() <= r.maxNanos());
    assertEquals(200, r.intervalMicros());
  }

  @Test
  void run_fifoPinnedWithMlock_whereAllowed() throws InterruptedException {
    LatencySettings s = new LatencySettings(SchedPolicy.fifo(80), Duration.ofNanos(500_000), 200,
        OptionalInt.of(0), true, 1000);
    LatencyResult r;
    try {
      r = new LatencyProbe(RealTime.system()).run(s);
    } catch (EdgeException e) {
      Assumptions.abort("SCHED_FIFO, CPU 0 or mlockall refused here: " + e.oneLine());
      return;
    }
    assertEquals(SchedPolicy.fifo(80), r.policy());
    assertEquals(200, java.util.Arrays.stream(r.histogram()).sum() + r.overflows());
  }

  @Test
  void run_cpuOutsideCgroup_refusedWithAllowedCpus() {
    LatencySettings s = new LatencySettings(SchedPolicy.other(0), Duration.ofNanos(100_000), 10,
        OptionalInt.of(4095), false, 100);
    EdgeException e = assertThrows(EdgeException.class, () -> new LatencyProbe(RealTime.system()).run(s));
    assertTrue(e.problem().contains("outside the CPUs this process may use"), e.problem());
  }

  @Test
  void settings_outOfRange_refused() {
    assertThrows(IllegalArgumentException.class, () -> new LatencySettings(SchedPolicy.fifo(1),
        Duration.ofNanos(5_000), 1, OptionalInt.empty(), false, 10));
    assertThrows(IllegalArgumentException.class, () -> new LatencySettings(SchedPolicy.fifo(1),
        Duration.ofMillis(1), 0, OptionalInt.empty(), false, 10));
  }
}
