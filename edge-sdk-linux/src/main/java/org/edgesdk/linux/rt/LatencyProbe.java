package org.edgesdk.linux.rt;

import java.nio.file.Files;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.linux.rt.internal.MonotonicClock;
import org.edgesdk.linux.rt.internal.NativeClock;
import org.jspecify.annotations.Nullable;

/**
 * Measures timer wake-up latency the way cyclictest (rt-tests) does, from a Java thread: the thread
 * runs at the requested policy and priority, optionally pinned to a CPU and with memory locked, and
 * sleeps with {@code clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next)}; each wake-up's latency is
 * the {@code CLOCK_MONOTONIC} time after waking minus {@code next}, counted in a 1 us histogram.
 *
 * <pre>{@code
 * LatencyResult r = new LatencyProbe(RealTime.system()).run(LatencySettings.fifo(80, 10_000));
 * System.out.println(r.percentileMicros(0.99) + " us p99, " + r.maxMicros() + " us max");
 * }</pre>
 *
 * <p>The measuring loop allocates nothing (no garbage, so no GC pause is caused by the probe itself),
 * and non-real-time policies run with a timer slack of 1 ns. Like cyclictest, the probe holds a 0 us
 * {@code /dev/cpu_dma_latency} request while it measures when the process may open the device.
 */
public final class LatencyProbe {
  private final RealTime realTime;

  /**
   * Creates a probe.
   *
   * @param realTime the real-time control the measuring thread uses
   */
  public LatencyProbe(RealTime realTime) {
    this.realTime = Objects.requireNonNull(realTime, "realTime");
  }

  /**
   * Runs the probe on a new thread and waits for it.
   *
   * @param settings what to measure
   * @return the latencies
   * @throws EdgeException if the policy, CPU or memory lock is refused (with the diagnosis), or
   *     {@link ErrorCode#INTERNAL} if the measuring thread fails otherwise
   * @throws InterruptedException if interrupted while waiting
   */
  public LatencyResult run(LatencySettings settings) throws InterruptedException {
    Objects.requireNonNull(settings, "settings");
    AtomicReference<LatencyResult> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        result.set(measureHere(settings));
      } catch (Throwable t) { // handed to the caller, which rethrows it
        failure.set(t);
      }
    }, "edge-sdk-latency-probe");
    if (settings.lockMemory()) {
      realTime.lockMemory();
    }
    CpuDmaLatency dma = holdDmaLatencyIfAllowed();
    try {
      thread.start();
      thread.join();
    } finally {
      if (dma != null) {
        dma.close();
      }
      if (settings.lockMemory()) {
        realTime.unlockMemory();
      }
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    LatencyResult r = result.get();
    if (r == null) {
      throw new EdgeException(ErrorCode.INTERNAL, "the latency probe thread ended without a result",
          "report this with the settings " + settings);
    }
    return r;
  }

  /** Like cyclictest (without --default-system): keep CPUs out of deep C-states while measuring. */
  private @Nullable CpuDmaLatency holdDmaLatencyIfAllowed() {
    if (!Files.isWritable(realTime.root().resolve("/dev/cpu_dma_latency"))) {
      return null;
    }
    try {
      return realTime.holdCpuDmaLatency(0);
    } catch (EdgeException e) {
      return null; // measured without the request, as on a machine without the device
    }
  }

  private LatencyResult measureHere(LatencySettings s) {
    realTime.currentThreadId();
    if (s.cpu().isPresent()) {
      CpuSet pinned = realTime.setAffinity(CpuSet.of(s.cpu().getAsInt()));
      if (!pinned.equals(CpuSet.of(s.cpu().getAsInt()))) {
        throw new EdgeException(ErrorCode.NOT_APPLIED, "the probe thread runs on CPUs " + pinned
            + " instead of CPU " + s.cpu().getAsInt(), "choose a CPU within " + realTime.allowedCpus());
      }
    }
    realTime.apply(s.policy());
    if (!s.policy().kind().isRealTime()) {
      realTime.setTimerSlack(java.time.Duration.ofNanos(1));
    }
    long[] histogram = new long[s.histogramMicros()];
    long[] stats = new long[4];
    long interval = s.interval().toNanos();
    loop(new NativeClock(), interval, s.loops(), histogram, stats);
    return new LatencyResult(s.policy(), interval / 1000, s.loops(), stats[0], stats[1], stats[2], histogram,
        stats[3]);
  }

  /**
   * The measuring loop: allocates nothing. {@code stats} receives min, max, sum (ns) and overflows.
   */
  static void loop(MonotonicClock clock, long intervalNanos, long loops, long[] histogram, long[] stats) {
    long min = Long.MAX_VALUE;
    long max = 0;
    long sum = 0;
    long overflows = 0;
    int buckets = histogram.length;
    long next = clock.nanoTime() + intervalNanos;
    for (long i = 0; i < loops; i++) {
      clock.sleepUntil(next);
      long now = clock.nanoTime();
      long latency = Math.max(0, now - next);
      if (latency < min) {
        min = latency;
      }
      if (latency > max) {
        max = latency;
      }
      sum += latency;
      long us = latency / 1000;
      if (us < buckets) {
        histogram[(int) us]++;
      } else {
        overflows++;
      }
      next += intervalNanos;
      while (next < now) { // a wake-up later than a whole interval: skip the releases already past
        next += intervalNanos;
      }
    }
    stats[0] = loops == 0 ? 0 : min;
    stats[1] = max;
    stats[2] = sum;
    stats[3] = overflows;
  }
}
