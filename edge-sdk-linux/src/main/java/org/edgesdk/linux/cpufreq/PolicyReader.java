package org.edgesdk.linux.cpufreq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;

/** Reads {@code /sys/devices/system/cpu/cpufreq} below a host root. */
final class PolicyReader {
  static final String CPU_DIR = "/sys/devices/system/cpu";
  static final String CPUFREQ_DIR = CPU_DIR + "/cpufreq";
  private static final Pattern POLICY = Pattern.compile("policy(\\d+)");
  private static final Pattern CPU = Pattern.compile("cpu(\\d+)");
  /** CPUFREQ_ETERNAL (-1 as an unsigned int): the driver does not know its latency. */
  private static final long ETERNAL = 4_294_967_295L;

  private final HostRoot root;

  PolicyReader(HostRoot root) {
    this.root = root;
  }

  CpuFreqInfo read() {
    Path dir = root.resolve(CPUFREQ_DIR);
    Optional<DriverStatus> status = driverStatus();
    Availability<Boolean> globalBoost = globalBoost();
    if (!Files.isDirectory(dir)) {
      return new CpuFreqInfo(root, Availability.unavailable(
          "not supported here: " + CPUFREQ_DIR + " does not exist below " + root.path()
              + ", so the kernel offers no CPU frequency scaling (a virtual machine whose hypervisor"
              + " owns the clock, or a kernel without CONFIG_CPU_FREQ)"),
          List.of(), globalBoost, status);
    }
    TreeMap<Integer, Path> policyDirs = policyDirectories(dir);
    if (policyDirs.isEmpty()) {
      return new CpuFreqInfo(root, Availability.unavailable(
          "not supported here: " + CPUFREQ_DIR + " is empty below " + root.path()
              + ", so no cpufreq driver is registered (usual in virtual machines; on hardware, the"
              + " driver for the CPU, such as acpi-cpufreq or cpufreq-dt, is not loaded)"),
          List.of(), globalBoost, status);
    }
    Map<Integer, CpuSet> linked = linkedCpus();
    List<Policy> policies = new ArrayList<>();
    List<CpuFreqInfo.OfflinePolicy> offline = new ArrayList<>();
    for (Map.Entry<Integer, Path> e : policyDirs.entrySet()) {
      Optional<CpuSet> affected = affectedCpus(e.getValue());
      if (affected.isEmpty() || affected.get().isEmpty()) {
        offline.add(new CpuFreqInfo.OfflinePolicy(
            e.getKey(), linked.getOrDefault(e.getKey(), CpuSet.empty())));
      } else {
        policies.add(policy(e.getKey(), e.getValue(), affected.get(), globalBoost, status));
      }
    }
    Availability<List<Policy>> available = policies.isEmpty()
        ? Availability.unavailable("every cpufreq policy below " + root.path()
            + " has all its CPUs offline; bring a CPU online (echo 1 > /sys/devices/system/cpu/cpuN/online)")
        : Availability.of(policies);
    return new CpuFreqInfo(root, available, offline, globalBoost, status);
  }

  static TreeMap<Integer, Path> policyDirectories(Path dir) {
    TreeMap<Integer, Path> out = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.forEach(p -> {
        Matcher m = POLICY.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      });
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage(),
          "check that sysfs is mounted and readable", e);
    }
    return out;
  }

  /** The CPUs whose {@code cpuY/cpufreq} symlink points at each policy. */
  private Map<Integer, CpuSet> linkedCpus() {
    Map<Integer, List<Integer>> cpus = new TreeMap<>();
    Path cpuDir = root.resolve(CPU_DIR);
    try (Stream<Path> entries = Files.list(cpuDir)) {
      entries.forEach(p -> {
        Matcher m = CPU.matcher(p.getFileName().toString());
        Path link = p.resolve("cpufreq");
        if (m.matches() && Files.isSymbolicLink(link)) {
          try {
            Matcher policy = POLICY.matcher(Files.readSymbolicLink(link).getFileName().toString());
            if (policy.matches()) {
              cpus.computeIfAbsent(Integer.parseInt(policy.group(1)), k -> new ArrayList<>())
                  .add(Integer.parseInt(m.group(1)));
            }
          } catch (IOException e) {
            // an unreadable link only loses the offline policy's CPU list
          }
        }
      });
    } catch (IOException e) {
      return Map.of();
    }
    Map<Integer, CpuSet> out = new LinkedHashMap<>();
    cpus.forEach((id, list) -> out.put(id, CpuSet.of(list.stream().mapToInt(Integer::intValue).toArray())));
    return out;
  }

  private static Optional<CpuSet> affectedCpus(Path dir) {
    try {
      Optional<String> text = Sysfs.text(dir.resolve("affected_cpus"));
      return text.map(CpuSet::parse);
    } catch (EdgeException e) {
      if (e.code() == ErrorCode.IO_ERROR) {
        return Optional.empty(); // EBUSY: the kernel refuses reads of an inactive policy
      }
      throw e;
    } catch (IllegalArgumentException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA,
          dir.resolve("affected_cpus") + " is not a CPU list: " + e.getMessage(),
          "check that the tree is a copy of sysfs", e);
    }
  }

  Policy policy(int id, Path dir, CpuSet affected, Availability<Boolean> globalBoost,
      Optional<DriverStatus> status) {
    String driver = Sysfs.required(dir.resolve("scaling_driver"));
    String governor = Sysfs.required(dir.resolve("scaling_governor"));
    CpuSet related;
    try {
      related = CpuSet.parse(Sysfs.required(dir.resolve("related_cpus")));
    } catch (IllegalArgumentException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA,
          dir.resolve("related_cpus") + " is not a CPU list: " + e.getMessage(),
          "check that the tree is a copy of sysfs", e);
    }
    Availability<List<Integer>> frequencies = Sysfs.text(dir.resolve("scaling_available_frequencies"))
        .map(t -> Availability.of(Sysfs.ints(dir.resolve("scaling_available_frequencies"), t)))
        .orElse(Availability.unavailable(driver + " lists no scaling_available_frequencies"
            + ("intel_pstate".equals(driver) || "intel_cpufreq".equals(driver) || driver.startsWith("amd-pstate")
                ? " (the hardware picks any frequency between the limits)" : "")));
    return new Policy(
        id,
        affected,
        related,
        driver,
        governor,
        Sysfs.words(Sysfs.required(dir.resolve("scaling_available_governors"))),
        Sysfs.requiredInt(dir.resolve("cpuinfo_min_freq")),
        Sysfs.requiredInt(dir.resolve("cpuinfo_max_freq")),
        Sysfs.requiredInt(dir.resolve("scaling_min_freq")),
        Sysfs.requiredInt(dir.resolve("scaling_max_freq")),
        Sysfs.optionalInt(dir.resolve("scaling_cur_freq"), "scaling_cur_freq is absent"),
        hardwareCur(dir, driver),
        frequencies,
        latency(dir),
        boost(dir, driver, globalBoost, status),
        Sysfs.text(dir.resolve("energy_performance_preference"))
            .map(Availability::of)
            .orElse(Availability.unavailable(noEpp(driver))),
        Sysfs.text(dir.resolve("energy_performance_available_preferences"))
            .map(t -> Availability.of(Sysfs.words(t)))
            .orElse(Availability.unavailable(noEpp(driver))),
        setspeed(dir, governor),
        stats(dir),
        Sysfs.optionalInt(dir.resolve("bios_limit"), "no bios_limit (only acpi-cpufreq reports the firmware's limit)"),
        Sysfs.optionalInt(root.resolve(CPU_DIR + "/cpu" + affected.stream().findFirst().orElse(id) + "/cpu_capacity"),
            "no cpu_capacity (reported by heterogeneous, big.LITTLE systems)"));
  }

  static String noEpp(String driver) {
    return driver + " has no energy_performance_preference; EPP exists only with intel_pstate in"
        + " active mode with HWP and with amd-pstate-epp";
  }

  private static Availability<Integer> hardwareCur(Path dir, String driver) {
    try {
      return Sysfs.optionalInt(dir.resolve("cpuinfo_cur_freq"),
          driver + " offers no cpuinfo_cur_freq (no hardware frequency read-back)");
    } catch (EdgeException e) {
      if (e.code() == ErrorCode.PERMISSION_DENIED) {
        return Availability.unavailable("cpuinfo_cur_freq is readable by root only (mode 0400);"
            + " run as root to read the hardware frequency");
      }
      throw e;
    }
  }

  private static Availability<Long> latency(Path dir) {
    Path file = dir.resolve("cpuinfo_transition_latency");
    Optional<String> text = Sysfs.text(file);
    if (text.isEmpty()) {
      return Availability.unavailable("cpuinfo_transition_latency is absent");
    }
    long value;
    try {
      value = Long.parseLong(text.get());
    } catch (NumberFormatException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, file + " holds '" + text.get()
          + "' where nanoseconds were expected", "check that the tree is a copy of sysfs", e);
    }
    return value == ETERNAL || value < 0
        ? Availability.unavailable("the driver does not know its transition latency (CPUFREQ_ETERNAL)")
        : Availability.of(value);
  }

  private Availability<Boost> boost(Path dir, String driver, Availability<Boolean> global,
      Optional<DriverStatus> status) {
    Optional<String> policyBoost = Sysfs.text(dir.resolve("boost"));
    if (policyBoost.isPresent()) {
      return Availability.of(new Boost("1".equals(policyBoost.get()), Boost.Control.POLICY));
    }
    Optional<String> cpb = Sysfs.text(dir.resolve("cpb"));
    if (cpb.isPresent()) {
      return Availability.of(new Boost("1".equals(cpb.get()), Boost.Control.AMD_CPB));
    }
    if (global.isAvailable()) {
      return Availability.of(new Boost(global.orElseThrow(), Boost.Control.GLOBAL));
    }
    Optional<Boolean> noTurbo = status.flatMap(DriverStatus::noTurbo);
    if (noTurbo.isPresent()) {
      return Availability.of(new Boost(!noTurbo.get(), Boost.Control.INTEL_NO_TURBO));
    }
    return Availability.unavailable(driver + " offers no boost control (no policy boost, cpb or"
        + " cpufreq/boost file)");
  }

  private static Availability<Integer> setspeed(Path dir, String governor) {
    Optional<String> text = Sysfs.text(dir.resolve("scaling_setspeed"));
    if (text.isEmpty()) {
      return Availability.unavailable("scaling_setspeed is absent");
    }
    if (!"userspace".equals(governor) || text.get().startsWith("<")) {
      return Availability.unavailable("scaling_setspeed works only under the userspace governor"
          + " (current governor: " + governor + ")");
    }
    return Availability.of(Sysfs.parseInt(dir.resolve("scaling_setspeed"), text.get()));
  }

  private static Availability<TimeInState> stats(Path dir) {
    Path file = dir.resolve("stats/time_in_state");
    Optional<String> text = Sysfs.text(file);
    if (text.isEmpty()) {
      return Availability.unavailable("no stats/time_in_state (kernel built without CONFIG_CPU_FREQ_STAT)");
    }
    Map<Integer, Duration> times = new LinkedHashMap<>();
    for (String line : text.get().split("\n")) {
      List<String> words = Sysfs.words(line);
      if (words.size() != 2) {
        continue;
      }
      times.put(Sysfs.parseInt(file, words.get(0)), Duration.ofMillis(10L * parseLong(file, words.get(1))));
    }
    Path totalFile = dir.resolve("stats/total_trans");
    OptionalLong total = Sysfs.text(totalFile)
        .map(t -> OptionalLong.of(parseLong(totalFile, t))).orElse(OptionalLong.empty());
    return Availability.of(new TimeInState(times, total));
  }

  private static long parseLong(Path file, String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA,
          file + " holds '" + text + "' where a count was expected",
          "check that the file is a cpufreq statistic and not a truncated copy", e);
    }
  }

  private Availability<Boolean> globalBoost() {
    return Sysfs.text(root.resolve(CPUFREQ_DIR + "/boost"))
        .map(t -> Availability.of("1".equals(t)))
        .orElse(Availability.unavailable("no " + CPUFREQ_DIR + "/boost: the driver has no global boost switch"));
  }

  private Optional<DriverStatus> driverStatus() {
    for (String driver : List.of("intel_pstate", "amd_pstate")) {
      Path dir = root.resolve(CPU_DIR + "/" + driver);
      Optional<String> status = Sysfs.text(dir.resolve("status"));
      if (status.isPresent()) {
        return Optional.of(new DriverStatus(
            driver,
            status.get(),
            Sysfs.text(dir.resolve("no_turbo")).map("1"::equals),
            optionalPct(dir.resolve("min_perf_pct")),
            optionalPct(dir.resolve("max_perf_pct"))));
      }
    }
    return Optional.empty();
  }

  private static OptionalInt optionalPct(Path file) {
    return Sysfs.text(file).map(t -> OptionalInt.of(Sysfs.parseInt(file, t))).orElse(OptionalInt.empty());
  }
}
