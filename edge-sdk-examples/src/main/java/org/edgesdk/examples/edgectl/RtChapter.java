package org.edgesdk.examples.edgectl;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.rt.Finding;
import org.edgesdk.linux.rt.LatencyProbe;
import org.edgesdk.linux.rt.LatencyResult;
import org.edgesdk.linux.rt.LatencySettings;
import org.edgesdk.linux.rt.RealTime;
import org.edgesdk.linux.rt.RtReadiness;
import org.edgesdk.linux.rt.SchedPolicy;
import org.edgesdk.linux.rt.Severity;

/** The demo's real-time chapter: the readiness summary and a half-second latency run. */
final class RtChapter {
  /** Wake-ups of the demo's latency run: 500 at 1 ms, half a second. */
  static final int DEMO_LOOPS = 500;

  private RtChapter() {}

  static void print(int chapter, HostRoot root, PrintWriter out) {
    out.println(chapter + ". Real-time threads: readiness and wake-up latency (edgectl rt check / rt latency)");
    RtReadiness report = RtReadiness.read(root);
    out.println("   kernel   " + report.preemption().model()
        + report.preemption().dynamicMode().map(m -> " (mode " + m + ")").orElse(""));
    for (Finding f : report.findings()) {
      if (f.severity() != Severity.OK) {
        out.println("   " + f.severity() + " " + f.topic() + ": " + f.conclusion());
      }
    }
    long ok = report.findings().stream().filter(f -> f.severity() == Severity.OK).count();
    out.println("   " + ok + " of " + report.findings().size() + " checks OK; details and fixes: edgectl rt check");
    if (!root.isSystem()) {
      out.println("   latency  not measured: --root is not the machine this JVM runs on");
      out.println();
      return;
    }
    try {
      RealTime rt = RealTime.system();
      Optional<LatencyResult> fifo = measure(rt, SchedPolicy.fifo(80));
      if (fifo.isEmpty()) {
        out.println("   latency  SCHED_FIFO refused, measuring at SCHED_OTHER (see edgectl rt check)");
      }
      LatencyResult r = fifo.isPresent() ? fifo.get() : measure(rt, SchedPolicy.other(0)).orElseThrow();
      out.println("   latency  " + DEMO_LOOPS + " wake-ups at 1 ms, " + name(r.policy())
          + String.format(Locale.ROOT, ": min %d us, avg %.1f us, p99 %d us, max %d us",
              r.minMicros(), r.avgMicros(), r.percentileMicros(0.99), r.maxMicros()));
    } catch (EdgeException e) {
      out.println("   latency  not measured: " + e.problem());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("   latency  interrupted");
    }
    out.println();
  }

  /** Measures; empty when a real-time policy is refused (the caller falls back to SCHED_OTHER). */
  private static Optional<LatencyResult> measure(RealTime rt, SchedPolicy policy) throws InterruptedException {
    try {
      return Optional.of(new LatencyProbe(rt).run(new LatencySettings(policy, Duration.ofMillis(1), DEMO_LOOPS,
          OptionalInt.empty(), false, LatencySettings.DEFAULT_HISTOGRAM_MICROS)));
    } catch (EdgeException e) {
      if (policy.kind().isRealTime()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static String name(SchedPolicy p) {
    return p.kind().isRealTime() ? p.kind().kernelName() + " " + p.priority() : p.kind().kernelName();
  }
}
