package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.linux.kernel.Evidence;
import org.edgesdk.linux.rt.Finding;
import org.edgesdk.linux.rt.LatencyProbe;
import org.edgesdk.linux.rt.LatencyResult;
import org.edgesdk.linux.rt.LatencySettings;
import org.edgesdk.linux.rt.PolicyKind;
import org.edgesdk.linux.rt.RealTime;
import org.edgesdk.linux.rt.RtReadiness;
import org.edgesdk.linux.rt.SchedPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgectl rt}: real-time readiness and wake-up latency. */
@Command(
    name = "rt",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Real-time threads: readiness report and wake-up latency probe.",
    subcommands = {RtCommand.Check.class, RtCommand.Latency.class})
final class RtCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand (check or latency)");
  }

  /**
   * {@code edgectl rt check}: the RT-readiness report.
   *
   * <p>JSON: {@code {"preemptModel": string, "dynamicMode": string|null, "evidence": [{"source":
   * string, "value": string}], "findings": [{"severity", "topic", "conclusion", "recommendation",
   * "evidence": [...]}]}}.
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Report how ready this machine and process are for real-time threads, with evidence.")
  static final class Check implements Runnable {
    @Mixin RootOption root;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      RtReadiness report = RtReadiness.read(root.root());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Json.print(out, toJson(report));
        return;
      }
      out.println("preemption model  " + report.preemption().model()
          + report.preemption().dynamicMode().map(m -> " (mode " + m + ")").orElse(""));
      for (Finding f : report.findings()) {
        out.println(String.format(Locale.ROOT, "%-8s %-12s %s", f.severity(), f.topic(), f.conclusion()));
        if (!f.recommendation().isEmpty()) {
          out.println("         " + " ".repeat(12) + " fix: " + f.recommendation());
        }
      }
      out.println("evidence");
      for (Evidence e : report.evidence()) {
        out.println("  " + e.source() + " = " + e.value());
      }
      out.flush();
    }

    static ObjectNode toJson(RtReadiness report) {
      ObjectNode node = Json.object();
      node.put("preemptModel", report.preemption().model().name());
      if (report.preemption().dynamicMode().isPresent()) {
        node.put("dynamicMode", report.preemption().dynamicMode().get());
      } else {
        node.putNull("dynamicMode");
      }
      evidence(node.putArray("evidence"), report.evidence());
      ArrayNode findings = node.putArray("findings");
      for (Finding f : report.findings()) {
        ObjectNode o = findings.addObject();
        o.put("severity", f.severity().name());
        o.put("topic", f.topic());
        o.put("conclusion", f.conclusion());
        o.put("recommendation", f.recommendation());
        evidence(o.putArray("evidence"), f.evidence());
      }
      return node;
    }

    private static void evidence(ArrayNode array, List<Evidence> evidence) {
      for (Evidence e : evidence) {
        array.addObject().put("source", e.source()).put("value", e.value());
      }
    }
  }

  /**
   * {@code edgectl rt latency}: the cyclictest-style probe.
   *
   * <p>JSON: {@code {"policy", "priority", "intervalUs", "loops", "minUs", "avgUs", "maxUs", "p50Us",
   * "p99Us", "p999Us", "overflows", "histogram": [[us, count], ...]}}.
   */
  @Command(
      name = "latency",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Measure timer wake-up latency from a Java thread, as cyclictest does.")
  static final class Latency implements Runnable {
    private PolicyKind policy = PolicyKind.FIFO;
    private int priority = 80;

    @Option(names = "--policy", paramLabel = "fifo|rr|other",
        description = "Scheduling policy of the measuring thread. Default: fifo.")
    void setPolicy(String name) {
      PolicyKind kind = null;
      try {
        kind = PolicyKind.parse(name);
      } catch (IllegalArgumentException e) {
        // reported below with the names this command accepts
      }
      if (kind != PolicyKind.FIFO && kind != PolicyKind.RR && kind != PolicyKind.OTHER) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--policy " + name + " is not one of fifo, rr, other");
      }
      policy = kind;
    }

    @Option(names = "--priority", paramLabel = "N",
        description = "SCHED_FIFO/SCHED_RR priority, 1..98 (ignored for other). Default: 80.")
    void setPriority(int value) {
      if (value < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--priority " + value + " is below 1; real-time priorities are 1..98 (99 needs an opt-in)");
      }
      priority = value;
    }

    @Option(names = "--interval-us", paramLabel = "N", defaultValue = "1000",
        description = "Wake-up interval in microseconds. Default: ${DEFAULT-VALUE}.")
    int intervalUs;

    @Option(names = "--loops", paramLabel = "N", defaultValue = "1000",
        description = "Number of wake-ups to measure. Default: ${DEFAULT-VALUE}.")
    long loops;

    @Option(names = "--cpu", paramLabel = "N", description = "Pin the measuring thread to this CPU.")
    Integer cpu;

    @Option(names = "--mlock", description = "Lock the JVM's memory for the run (mlockall), like cyclictest -m.")
    boolean mlock;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      LatencySettings settings = settings();
      LatencyResult result;
      try {
        result = new LatencyProbe(RealTime.system()).run(settings);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EdgeException(ErrorCode.TIMEOUT, "the latency probe was interrupted", "run it again", e);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Json.print(out, toJson(result));
        return;
      }
      out.println(text(result));
      out.flush();
    }

    private LatencySettings settings() {
      SchedPolicy p = policy == PolicyKind.OTHER ? SchedPolicy.other(0) : SchedPolicy.of(policy, priority);
      try {
        return new LatencySettings(p, Duration.ofNanos(intervalUs * 1000L), loops,
            cpu == null ? OptionalInt.empty() : OptionalInt.of(cpu), mlock,
            LatencySettings.DEFAULT_HISTOGRAM_MICROS);
      } catch (IllegalArgumentException e) {
        throw new EdgeException(ErrorCode.INVALID_ARGUMENT, e.getMessage(),
            "use --interval-us 10..1000000, --loops 1 or more and a CPU number of 0 or more", e);
      }
    }

    static String text(LatencyResult r) {
      return String.format(Locale.ROOT,
          "policy %s priority %d interval %d us loops %d%nmin %d us  avg %.2f us  max %d us%n"
              + "p50 %d us  p99 %d us  p99.9 %d us  overflows %d",
          r.policy().kind().name().toLowerCase(Locale.ROOT), r.policy().priority(), r.intervalMicros(), r.loops(),
          r.minMicros(), r.avgMicros(), r.maxMicros(), r.percentileMicros(0.5), r.percentileMicros(0.99),
          r.percentileMicros(0.999), r.overflows());
    }

    static ObjectNode toJson(LatencyResult r) {
      ObjectNode node = Json.object();
      node.put("policy", r.policy().kind().name().toLowerCase(Locale.ROOT));
      node.put("priority", r.policy().priority());
      node.put("intervalUs", r.intervalMicros());
      node.put("loops", r.loops());
      node.put("minUs", r.minMicros());
      node.put("avgUs", Math.round(r.avgMicros() * 1000) / 1000.0);
      node.put("maxUs", r.maxMicros());
      node.put("p50Us", r.percentileMicros(0.5));
      node.put("p99Us", r.percentileMicros(0.99));
      node.put("p999Us", r.percentileMicros(0.999));
      node.put("overflows", r.overflows());
      ArrayNode histogram = node.putArray("histogram");
      long[] counts = r.histogram();
      for (int us = 0; us < counts.length; us++) {
        if (counts[us] != 0) {
          histogram.addArray().add(us).add(counts[us]);
        }
      }
      return node;
    }
  }
}
