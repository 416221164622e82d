package org.edgesdk.examples.control;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.examples.ExampleArgs;
import org.edgesdk.linux.rt.PeriodicRunner;
import org.edgesdk.linux.rt.PeriodicStats;
import org.edgesdk.linux.rt.RealTime;
import org.edgesdk.linux.rt.SchedPolicy;

/**
 * A 1 kHz control loop: a PI controller driving a simulated first-order plant, run by a
 * {@link PeriodicRunner} (absolute {@code clock_nanosleep} releases) on a thread at SCHED_FIFO. When
 * the kernel refuses real-time scheduling (no CAP_SYS_NICE, RLIMIT_RTPRIO 0) it says why and how to
 * fix it, then runs at SCHED_OTHER so it can still be tried. At the end it prints the wake-up latency
 * percentiles: each cycle's wake time minus its release time, recorded in a preallocated array (no
 * allocation in the loop). The runner does not expose its release times, so each cycle's offset from
 * a grid anchored before the run is recorded and the smallest offset subtracted: the figures are the
 * latency above the best wake-up of the run (cyclictest's minimum is typically a few microseconds),
 * and the runner's own worst wake-up latency is printed next to them as an absolute figure.
 *
 * <p>Options (command line, else environment variable {@code EDGE_CONTROL_<NAME>}):
 * <pre>
 * --policy fifo|other     the scheduling policy (default fifo)
 * --priority N            the SCHED_FIFO priority (default 80)
 * --cycles N              cycles to run (default 10000, ten seconds)
 * --warmup N              first cycles left out of the percentiles while the JIT compiles (default 200)
 * </pre>
 */
public final class ControlLoop1kHz {
  private static final Set<String> OPTIONS = Set.of("policy", "priority", "cycles", "warmup");
  private static final long PERIOD_NANOS = 1_000_000;
  private static final int HISTOGRAM_MICROS = 10_000;

  private final ExampleArgs args;
  private final PrintStream out;
  private final RealTime realTime;

  /**
   * Creates the loop.
   *
   * @param args the command line
   * @param env the environment
   * @param out where the loop reports
   * @param realTime the scheduling API to use
   * @throws IllegalArgumentException for an unknown option
   */
  public ControlLoop1kHz(String[] args, Map<String, String> env, PrintStream out, RealTime realTime) {
    this.args = ExampleArgs.parse("control-loop", args, env, "EDGE_CONTROL", OPTIONS);
    this.out = out;
    this.realTime = realTime;
  }

  /**
   * Runs the loop from the command line.
   *
   * @param args the options above
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    try {
      new ControlLoop1kHz(args, System.getenv(), System.out, RealTime.system()).run();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  /**
   * Runs the loop on a new thread and waits for it.
   *
   * @return what the runner did
   * @throws InterruptedException if interrupted while waiting
   */
  public PeriodicStats run() throws InterruptedException {
    String policy = args.get("policy", "fifo").toLowerCase(Locale.ROOT);
    if (!policy.equals("fifo") && !policy.equals("other")) {
      throw new IllegalArgumentException("control-loop: --policy must be fifo or other but was '" + policy + "'");
    }
    int priority = (int) args.getLong("priority", 80);
    long cycles = args.getLong("cycles", 10_000);
    long warmup = Math.min(args.getLong("warmup", 200), cycles / 2);

    long[] offsets = new long[(int) cycles];
    AtomicReference<PeriodicStats> result = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      if (policy.equals("fifo")) {
        try {
          realTime.apply(SchedPolicy.fifo(priority));
          out.println("running at SCHED_FIFO priority " + priority);
        } catch (EdgeException e) {
          if (e.code() != ErrorCode.PERMISSION_DENIED && e.code() != ErrorCode.UNSUPPORTED) {
            throw e;
          }
          out.println("SCHED_FIFO not permitted: " + e.problem());
          out.println("  fix: " + e.remedy());
          out.println("  falling back to SCHED_OTHER: the loop runs, with worse latencies");
        }
      } else {
        out.println("running at SCHED_OTHER (as asked)");
      }
      Plant plant = new Plant();
      long[] skipped = {0};
      PeriodicRunner runner = new PeriodicRunner(Duration.ofNanos(PERIOD_NANOS),
          (cycle, lateNanos, missed) -> skipped[0] += missed);
      long start = System.nanoTime(); // anchors the grid; the constant offset to the runner's is removed below
      result.set(runner.run(cycle -> {
        long woke = System.nanoTime();
        long release = start + (cycle + 1 + skipped[0]) * PERIOD_NANOS;
        offsets[(int) cycle] = woke - release;
        plant.step(1.0);
        return cycle + 1 < cycles;
      }));
      out.printf(Locale.ROOT, "plant output %.3f for setpoint 1.000%n", plant.output);
    }, "control-loop");
    thread.start();
    thread.join();
    PeriodicStats stats = result.get();
    if (stats == null) {
      throw new IllegalStateException("the control thread failed before running; see its stack trace");
    }
    long best = Long.MAX_VALUE;
    for (long i = warmup; i < stats.cycles(); i++) {
      best = Math.min(best, offsets[(int) i]);
    }
    long[] histogram = new long[HISTOGRAM_MICROS + 1]; // last bucket: overflows
    for (long i = warmup; i < stats.cycles(); i++) {
      histogram[(int) Math.min((offsets[(int) i] - best) / 1000, HISTOGRAM_MICROS)]++;
    }
    out.printf(Locale.ROOT, "%d cycles at 1 kHz (%d measured): wake-up latency above the best p50 %d us, p99 %d us, "
        + "p99.9 %d us, max %d us; worst wake-up %d us; overruns %d, missed releases %d%n", stats.cycles(),
        cycles - warmup, percentile(histogram, 0.50), percentile(histogram, 0.99), percentile(histogram, 0.999),
        max(histogram), stats.maxWakeLatencyNanos() / 1000, stats.overruns(), stats.missedReleases());
    return stats;
  }

  private static long percentile(long[] histogram, double q) {
    long total = 0;
    for (long c : histogram) {
      total += c;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank && seen > 0) {
        return i;
      }
    }
    return 0;
  }

  private static long max(long[] histogram) {
    for (int i = histogram.length - 1; i >= 0; i--) {
      if (histogram[i] > 0) {
        return i;
      }
    }
    return 0;
  }

  /** A first-order plant (time constant 20 ms) under a PI controller, stepped every millisecond. */
  private static final class Plant {
    private static final double DT = 0.001;
    private static final double TAU = 0.020;
    private static final double KP = 2.0;
    private static final double KI = 60.0;
    double output;
    double integral;

    void step(double setpoint) {
      double error = setpoint - output;
      integral += error * DT;
      double u = KP * error + KI * integral;
      output += (u - output) * DT / TAU;
    }
  }
}
