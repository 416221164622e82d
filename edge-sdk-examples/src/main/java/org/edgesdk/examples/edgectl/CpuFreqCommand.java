package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.edgesdk.api.Availability;
import org.edgesdk.linux.cpufreq.Boost;
import org.edgesdk.linux.cpufreq.CpuFreq;
import org.edgesdk.linux.cpufreq.CpuFreqInfo;
import org.edgesdk.linux.cpufreq.DriverStatus;
import org.edgesdk.linux.cpufreq.Policy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgectl cpufreq}: every cpufreq policy, or why the host has none.
 *
 * <p>JSON: {@code {"supported": bool, "reason": string|null, "policies": [{"id": int, "cpus": [int],
 * "relatedCpus": [int], "driver": string, "governor": string, "availableGovernors": [string],
 * "cpuinfoMinKHz": int, "cpuinfoMaxKHz": int, "minKHz": int, "maxKHz": int, "curKHz": int|null,
 * "availableFrequenciesKHz": [int], "boost": bool|null, "epp": string|null, "availableEpp":
 * [string]}]}}.
 */
@Command(
    name = "cpufreq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Show the CPU frequency policies (governor, limits, frequencies, boost, EPP), or why"
        + " there are none.",
    subcommands = {CpuFreqSetCommand.class})
final class CpuFreqCommand implements Runnable {
  @Mixin RootOption root;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    CpuFreqInfo info = CpuFreq.of(root.root()).read();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, toJson(info));
      return;
    }
    printText(info, out, "");
    out.flush();
  }

  static ObjectNode toJson(CpuFreqInfo info) {
    ObjectNode node = Json.object();
    node.put("supported", info.isSupported());
    if (info.policies() instanceof Availability.Unavailable<List<Policy>> u) {
      node.put("reason", u.reason());
    } else {
      node.putNull("reason");
    }
    ArrayNode policies = node.putArray("policies");
    for (Policy p : info.policies().toOptional().orElse(List.of())) {
      ObjectNode policy = policies.addObject();
      policy.put("id", p.id());
      p.cpus().stream().forEach(policy.putArray("cpus")::add);
      p.relatedCpus().stream().forEach(policy.putArray("relatedCpus")::add);
      policy.put("driver", p.driver());
      policy.put("governor", p.governor());
      p.availableGovernors().forEach(policy.putArray("availableGovernors")::add);
      policy.put("cpuinfoMinKHz", p.cpuinfoMinKHz());
      policy.put("cpuinfoMaxKHz", p.cpuinfoMaxKHz());
      policy.put("minKHz", p.minKHz());
      policy.put("maxKHz", p.maxKHz());
      if (p.curKHz().isAvailable()) {
        policy.put("curKHz", p.curKHz().orElseThrow());
      } else {
        policy.putNull("curKHz");
      }
      ArrayNode frequencies = policy.putArray("availableFrequenciesKHz");
      p.availableFrequenciesKHz().toOptional().orElse(List.of()).forEach(frequencies::add);
      if (p.boost().isAvailable()) {
        policy.put("boost", p.boost().orElseThrow().enabled());
      } else {
        policy.putNull("boost");
      }
      if (p.energyPerformancePreference().isAvailable()) {
        policy.put("epp", p.energyPerformancePreference().orElseThrow());
      } else {
        policy.putNull("epp");
      }
      ArrayNode epp = policy.putArray("availableEpp");
      p.availableEnergyPerformancePreferences().toOptional().orElse(List.of()).forEach(epp::add);
    }
    return node;
  }

  /** Prints the policies as text, each line prefixed by {@code indent} (the demo indents). */
  static void printText(CpuFreqInfo info, PrintWriter out, String indent) {
    if (info.policies() instanceof Availability.Unavailable<List<Policy>> u) {
      out.println(indent + "cpufreq      " + u.reason());
      return;
    }
    info.driverStatus().ifPresent(s -> out.println(indent + "driver       " + status(s)));
    if (info.globalBoost().isAvailable()) {
      out.println(indent + "boost        " + onOff(info.globalBoost().orElseThrow()) + " (cpufreq/boost, all policies)");
    }
    for (CpuFreqInfo.OfflinePolicy offline : info.offlinePolicies()) {
      out.println(indent + "policy" + offline.id() + "      all CPUs offline (" + offline.relatedCpus() + ")");
    }
    for (Policy p : info.policies().orElseThrow()) {
      out.println(indent + p.name() + "      CPUs " + p.cpus()
          + (p.relatedCpus().equals(p.cpus()) ? "" : " online of " + p.relatedCpus())
          + ", driver " + p.driver()
          + p.cpuCapacity().map(c -> ", capacity " + c).toOptional().orElse(""));
      String sub = indent + "  ";
      out.println(sub + "governor     " + p.governor() + " (available: " + String.join(" ", p.availableGovernors()) + ")");
      out.println(sub + "limits       " + p.minKHz() + ".." + p.maxKHz() + " kHz (hardware "
          + p.cpuinfoMinKHz() + ".." + p.cpuinfoMaxKHz() + " kHz)");
      out.println(sub + "current      " + text(p.curKHz().map(k -> k + " kHz"))
          + (p.hardwareCurKHz().isAvailable() ? ", hardware " + p.hardwareCurKHz().orElseThrow() + " kHz" : ""));
      out.println(sub + "frequencies  " + text(p.availableFrequenciesKHz().map(
          l -> l.stream().map(String::valueOf).collect(Collectors.joining(" ")) + " kHz")));
      out.println(sub + "latency      " + text(p.transitionLatencyNs().map(n -> n + " ns")));
      out.println(sub + "boost        " + text(p.boost().map(CpuFreqCommand::boost)));
      out.println(sub + "EPP          " + text(p.energyPerformancePreference().map(e -> e + " (available: "
          + String.join(" ", p.availableEnergyPerformancePreferences().toOptional().orElse(List.of())) + ")")));
      out.println(sub + "setspeed     " + text(p.setspeedKHz().map(k -> k + " kHz")));
      out.println(sub + "time         " + text(p.stats().map(s -> timeInState(s.timeInState()))));
    }
  }

  private static String timeInState(Map<Integer, Duration> times) {
    long total = times.values().stream().mapToLong(Duration::toMillis).sum();
    if (total == 0) {
      return "no time recorded";
    }
    return times.entrySet().stream()
        .filter(e -> e.getValue().toMillis() * 100 / total >= 1)
        .map(e -> e.getKey() / 1000 + " MHz " + e.getValue().toMillis() * 100 / total + "%")
        .collect(Collectors.joining(", "));
  }

  private static String status(DriverStatus s) {
    return s.driver() + " " + s.status()
        + s.noTurbo().map(n -> ", turbo " + onOff(!n)).orElse("")
        + (s.minPerfPct().isPresent() && s.maxPerfPct().isPresent()
            ? ", performance " + s.minPerfPct().getAsInt() + ".." + s.maxPerfPct().getAsInt() + " %" : "");
  }

  private static String boost(Boost b) {
    String file;
    switch (b.control()) {
      case POLICY:
        file = "policy boost";
        break;
      case AMD_CPB:
        file = "AMD cpb";
        break;
      case INTEL_NO_TURBO:
        file = "intel_pstate/no_turbo";
        break;
      default:
        file = "cpufreq/boost";
    }
    return onOff(b.enabled()) + " (" + file + ")";
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  static String text(Availability<String> value) {
    return value instanceof Availability.Unavailable<String> u ? "unsupported (" + u.reason() + ")" : value.orElseThrow();
  }
}
