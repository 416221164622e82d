package org.edgesdk.examples.governor;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.HostRoot;
import org.edgesdk.examples.ExampleArgs;
import org.edgesdk.linux.cpufreq.AppliedChange;
import org.edgesdk.linux.cpufreq.CpuFreq;
import org.edgesdk.linux.cpufreq.Policy;
import org.edgesdk.linux.thermal.Thermal;
import org.edgesdk.linux.thermal.ThermalZone;
import org.edgesdk.linux.thermal.TripType;

/**
 * Reacts to thermal state by switching cpufreq governors and limits, with hysteresis: when the CPU
 * zone reaches {@code --hot} it switches every policy to the hot governor and caps its maximum
 * frequency; when the zone has cooled to {@code --cool} it writes the previous governor and limit
 * back ({@link org.edgesdk.linux.cpufreq.PolicyChange#restoreOnClose(boolean)}). It acts before the
 * kernel's own passive trip throttles harder, and the limits it sets are undone when it stops.
 *
 * <p>Options (command line, else environment variable {@code EDGE_GOVERNOR_<NAME>}):
 * <pre>
 * --root DIR              the directory standing in for / (default /)
 * --hot C                 throttle at this temperature (default: the zone's passive trip - 5 C, else its
 *                         critical trip - 15 C, else 80 C)
 * --cool C                restore at this temperature (default hot - 10 C)
 * --hot-governor G        the governor while hot (default powersave if available, else the current one)
 * --hot-max-percent P     the maximum frequency while hot, in percent of the hardware range (default 60)
 * --interval-ms N         between readings (default 2000)
 * --loops N               readings before exiting (default 0 = run until stopped)
 * </pre>
 */
public final class GovernorSwitcher {
  private static final Set<String> OPTIONS = Set.of("root", "hot", "cool", "hot-governor", "hot-max-percent",
      "interval-ms", "loops");
  private static final String[] CPU_ZONES = {"cpu-thermal", "x86_pkg_temp", "soc-thermal", "cpu_thermal",
      "CPU-therm"};

  private final ExampleArgs args;
  private final PrintStream out;
  private final Thermal thermal;
  private final CpuFreq cpufreq;
  private final List<AppliedChange> throttled = new ArrayList<>();

  /**
   * Creates the switcher.
   *
   * @param args the command line
   * @param env the environment
   * @param out where the switcher reports
   * @throws IllegalArgumentException for an unknown option
   */
  public GovernorSwitcher(String[] args, Map<String, String> env, PrintStream out) {
    this.args = ExampleArgs.parse("governor-switcher", args, env, "EDGE_GOVERNOR", OPTIONS);
    this.out = out;
    HostRoot root = HostRoot.of(Path.of(this.args.get("root", "/")));
    this.thermal = Thermal.of(root);
    this.cpufreq = CpuFreq.of(root);
  }

  /**
   * Runs the switcher from the command line.
   *
   * @param args the options above
   */
  public static void main(String[] args) {
    try {
      GovernorSwitcher s = new GovernorSwitcher(args, System.getenv(), System.out);
      Runtime.getRuntime().addShutdownHook(new Thread(s::restore, "governor-switcher-restore"));
      s.run();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (EdgeException e) {
      System.err.println("governor-switcher: " + e.code() + ": " + e.problem() + "; fix: " + e.remedy());
      System.exit(1);
    }
  }

  /**
   * Reads the temperature every interval and acts, {@code --loops} times or until interrupted, then
   * restores what it changed.
   */
  public void run() {
    long loops = args.getLong("loops", 0);
    long interval = args.getLong("interval-ms", 2000);
    try {
      for (long i = 0; loops == 0 || i < loops; i++) {
        if (i > 0) {
          Thread.sleep(interval);
        }
        tick();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      restore();
    }
  }

  /**
   * Reads the CPU zone once and throttles or restores as its temperature asks.
   *
   * @return whether the policies are throttled after this reading
   * @throws EdgeException if there is no thermal zone, or a cpufreq change is refused
   */
  public boolean tick() {
    ThermalZone zone = cpuZone();
    Optional<Double> temp = zone.tempC().toOptional();
    double hot = args.getDouble("hot", defaultHot(zone));
    double cool = args.getDouble("cool", hot - 10);
    if (temp.isEmpty()) {
      out.println(zone.type() + ": no reading this time; nothing changed");
      return !throttled.isEmpty();
    }
    String now = String.format(Locale.ROOT, "%s %.1f C", zone.type(), temp.get());
    if (throttled.isEmpty() && temp.get() >= hot) {
      out.printf(Locale.ROOT, "%s >= %.1f C: throttling%n", now, hot);
      throttle();
    } else if (!throttled.isEmpty() && temp.get() <= cool) {
      out.printf(Locale.ROOT, "%s <= %.1f C: restoring%n", now, cool);
      restore();
    } else {
      out.printf(Locale.ROOT, "%s: %s (throttle at %.1f C, restore at %.1f C)%n", now,
          throttled.isEmpty() ? "normal" : "throttled", hot, cool);
    }
    return !throttled.isEmpty();
  }

  private void throttle() {
    double percent = args.getDouble("hot-max-percent", 60);
    for (Policy p : cpufreq.read().policies().orElseThrow()) {
      String governor = args.get("hot-governor")
          .orElse(p.availableGovernors().contains("powersave") ? "powersave" : p.governor());
      int cap = cap(p, percent);
      AppliedChange applied = cpufreq.change(p.id()).governor(governor).maxKHz(cap).restoreOnClose(true).apply();
      throttled.add(applied);
      out.println("  " + p.name() + ": governor " + p.governor() + " -> " + governor + ", max " + p.maxKHz()
          + " -> " + cap + " kHz" + (applied.isFullyEffective() ? "" : " (not fully effective: " + applied + ")"));
    }
  }

  /** Writes back the governors and limits that {@link #tick()} replaced; does nothing if none. */
  public void restore() {
    for (AppliedChange c : throttled) {
      c.close();
      Policy before = c.before();
      out.println("  " + before.name() + ": governor " + before.governor() + ", max " + before.maxKHz()
          + " kHz restored");
    }
    throttled.clear();
  }

  private ThermalZone cpuZone() {
    var info = thermal.read();
    return info.firstZone(CPU_ZONES).or(() -> info.zones().stream().findFirst()).orElseThrow(() ->
        new EdgeException(org.edgesdk.api.ErrorCode.UNSUPPORTED, "no thermal zone below "
            + thermal.root().sys().resolve("class/thermal"), "run on a device with a thermal driver or pass --root"));
  }

  private static double defaultHot(ThermalZone zone) {
    return zone.firstTrip(TripType.PASSIVE).map(t -> t.tempC() - 5)
        .or(() -> zone.firstTrip(TripType.CRITICAL).map(t -> t.tempC() - 15))
        .orElse(80.0);
  }

  /** The highest frequency the driver offers at or below the percentage of the hardware range. */
  private static int cap(Policy p, double percent) {
    int target = (int) (p.cpuinfoMinKHz() + (p.cpuinfoMaxKHz() - p.cpuinfoMinKHz()) * percent / 100);
    return p.availableFrequenciesKHz().toOptional()
        .flatMap(fs -> fs.stream().filter(f -> f <= target).max(Integer::compare))
        .orElse(Math.max(target, p.cpuinfoMinKHz()));
  }
}
