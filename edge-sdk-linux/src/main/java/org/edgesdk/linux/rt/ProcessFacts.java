package org.edgesdk.linux.rt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.internal.KernelFiles;
import org.edgesdk.linux.kernel.Evidence;
import org.edgesdk.linux.kernel.KernelConfig;

/**
 * What the kernel decides a scheduling request on, read below a {@link HostRoot}: the process's
 * effective capabilities, resource limits and cgroups, the kernel's RT group scheduling and RT
 * throttling. Parsers are pure functions of the files' text.
 */
record ProcessFacts(
    OptionalLong capEff,
    Map<String, Limit> limits,
    Optional<String> cgroupV2Path,
    Optional<String> cpuV1Path,
    boolean cpuControllerOnV1,
    Optional<Boolean> cpuControllerOnV2,
    Optional<Boolean> rtGroupSched,
    OptionalLong rtRuntimeUs,
    OptionalLong rtPeriodUs,
    OptionalLong cgroupV1RtRuntimeUs,
    Optional<CpuSet> cgroupCpus,
    Optional<CpuSet> onlineCpus,
    List<Evidence> evidence) {

  /** Bit of CAP_SYS_NICE in the capability sets (include/uapi/linux/capability.h). */
  static final int CAP_SYS_NICE = 23;
  /** Bit of CAP_IPC_LOCK. */
  static final int CAP_IPC_LOCK = 14;
  /** Name of RLIMIT_RTPRIO in /proc/self/limits. */
  static final String RTPRIO = "Max realtime priority";
  /** Name of RLIMIT_MEMLOCK in /proc/self/limits. */
  static final String MEMLOCK = "Max locked memory";
  /** Name of RLIMIT_NICE in /proc/self/limits. */
  static final String NICE = "Max nice priority";

  private static final Pattern CAP_EFF = Pattern.compile("(?m)^CapEff:\\s*([0-9a-fA-F]+)\\s*$");
  private static final Pattern RT_GROUP_SCHED_ARG = Pattern.compile("(?:^|\\s)rt_group_sched=(\\S+)");

  ProcessFacts {
    limits = Map.copyOf(limits);
    evidence = List.copyOf(evidence);
  }

  /**
   * A resource limit; {@link #UNLIMITED} stands for {@code unlimited}.
   *
   * @param soft the soft limit, which the kernel enforces
   * @param hard the hard limit, up to which the process may raise the soft one
   */
  record Limit(long soft, long hard) {
    static final long UNLIMITED = Long.MAX_VALUE;

    static String text(long value) {
      return value == UNLIMITED ? "unlimited" : Long.toString(value);
    }
  }

  /** The effective capability mask from {@code /proc/self/status}. */
  static OptionalLong parseCapEff(String status) {
    Matcher m = CAP_EFF.matcher(status);
    return m.find() ? OptionalLong.of(Long.parseUnsignedLong(m.group(1), 16)) : OptionalLong.empty();
  }

  /**
   * The limits of {@code /proc/self/limits}: the kernel prints the name left-aligned in 25 columns,
   * then soft limit, hard limit and unit separated by spaces (fs/proc/base.c, proc_pid_limits).
   */
  static Map<String, Limit> parseLimits(String text) {
    Map<String, Limit> limits = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.length() <= 26 || line.startsWith("Limit ")) {
        continue;
      }
      String name = line.substring(0, 25).strip();
      String[] values = line.substring(25).strip().split("\\s+");
      if (values.length >= 2) {
        try {
          limits.put(name, new Limit(limitValue(values[0]), limitValue(values[1])));
        } catch (NumberFormatException e) {
          // a line this parser does not understand is left out, as the kernel never writes one
        }
      }
    }
    return limits;
  }

  private static long limitValue(String v) {
    return v.equals("unlimited") ? Limit.UNLIMITED : Long.parseLong(v);
  }

  /** Parses {@code /proc/self/cgroup}: the v2 path (line {@code 0::PATH}) and the v1 cpu controller's. */
  static Optional<String> parseCgroupPath(String text, boolean v2, String controller) {
    for (String line : text.split("\n")) {
      String[] parts = line.strip().split(":", 3);
      if (parts.length != 3) {
        continue;
      }
      if (v2 && parts[0].equals("0") && parts[1].isEmpty()) {
        return Optional.of(parts[2]);
      }
      if (!v2 && List.of(parts[1].split(",")).contains(controller)) {
        return Optional.of(parts[2]);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the facts below {@code root} ({@code /proc/self} is the calling process when the root is
   * the live system).
   */
  static ProcessFacts read(HostRoot root) {
    Objects.requireNonNull(root, "root");
    List<Evidence> evidence = new ArrayList<>();

    OptionalLong capEff = text(root, "/proc/self/status").map(ProcessFacts::parseCapEff)
        .orElse(OptionalLong.empty());
    capEff.ifPresent(c -> evidence.add(new Evidence("CapEff in /proc/self/status",
        String.format("%016x (CAP_SYS_NICE %s, CAP_IPC_LOCK %s)", c,
            bit(c, CAP_SYS_NICE) ? "yes" : "no", bit(c, CAP_IPC_LOCK) ? "yes" : "no"))));

    Map<String, Limit> limits = text(root, "/proc/self/limits").map(ProcessFacts::parseLimits).orElse(Map.of());
    for (String name : List.of(RTPRIO, MEMLOCK, NICE)) {
      Limit l = limits.get(name);
      if (l != null) {
        evidence.add(new Evidence(name + " in /proc/self/limits",
            "soft " + Limit.text(l.soft()) + ", hard " + Limit.text(l.hard())));
      }
    }

    Optional<String> cgroupText = text(root, "/proc/self/cgroup");
    cgroupText.ifPresent(t -> evidence.add(new Evidence("/proc/self/cgroup", t.strip().replace('\n', ' '))));
    Optional<String> v2Path = cgroupText.flatMap(t -> parseCgroupPath(t, true, ""));
    Optional<String> cpuV1Path = cgroupText.flatMap(t -> parseCgroupPath(t, false, "cpu"));
    boolean unified = exists(root, "/sys/fs/cgroup/cgroup.controllers");
    String v2Mount = unified ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
    Optional<String> v1CpuDir = cpuV1Path.flatMap(p -> v1Dir(root, "cpu", p));
    boolean cpuOnV1 = v1CpuDir.isPresent();

    Optional<Boolean> cpuOnV2 = Optional.empty();
    if (!cpuOnV1 && v2Path.isPresent()) {
      String path = v2Path.get();
      if (path.equals("/")) {
        cpuOnV2 = Optional.of(false); // the root cgroup is the root task group
      } else {
        String parent = path.substring(0, Math.max(path.lastIndexOf('/'), 0));
        String file = v2Mount + parent + "/cgroup.subtree_control";
        Optional<String> control = text(root, file);
        control.ifPresent(c -> evidence.add(new Evidence(file, c.isEmpty() ? "(empty)" : c)));
        cpuOnV2 = control.map(c -> List.of(c.split("\\s+")).contains("cpu"));
      }
    }

    Optional<KernelConfig> config = KernelConfig.read(root);
    Optional<Boolean> configured = config.map(c -> c.isEnabled("CONFIG_RT_GROUP_SCHED"));
    config.ifPresent(c -> evidence.add(new Evidence("CONFIG_RT_GROUP_SCHED in " + c.source(),
        c.get("CONFIG_RT_GROUP_SCHED").orElse("not set"))));
    boolean defaultDisabled = config.map(c -> c.isEnabled("CONFIG_RT_GROUP_SCHED_DEFAULT_DISABLED")).orElse(false);
    Optional<String> bootArg = text(root, "/proc/cmdline").flatMap(c -> {
      Matcher m = RT_GROUP_SCHED_ARG.matcher(c);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    });
    bootArg.ifPresent(a -> evidence.add(new Evidence("rt_group_sched= in /proc/cmdline", a)));
    Optional<Boolean> rtGroupSched = configured.map(y -> y
        && bootArg.map(a -> !a.equals("0")).orElse(!defaultDisabled));
    if (v1CpuDir.isPresent()) {
      // With the v1 cpu controller the kernel shows cpu.rt_runtime_us exactly when RT groups are on.
      boolean knob = exists(root, v1CpuDir.get() + "/cpu.rt_runtime_us");
      rtGroupSched = Optional.of(rtGroupSched.orElse(true) && knob);
    }

    OptionalLong rtRuntime = number(root, "/proc/sys/kernel/sched_rt_runtime_us", evidence);
    OptionalLong rtPeriod = number(root, "/proc/sys/kernel/sched_rt_period_us", evidence);
    OptionalLong groupRuntime = OptionalLong.empty();
    if (v1CpuDir.isPresent() && !cpuV1Path.orElse("/").equals("/")) {
      groupRuntime = number(root, v1CpuDir.get() + "/cpu.rt_runtime_us", evidence);
    }

    Optional<CpuSet> cgroupCpus = cgroupCpus(root, v2Mount, v2Path, cgroupText, evidence);
    Optional<CpuSet> online = cpus(root, "/sys/devices/system/cpu/online", evidence);

    return new ProcessFacts(capEff, limits, v2Path, cpuV1Path, cpuOnV1, cpuOnV2, rtGroupSched, rtRuntime,
        rtPeriod, groupRuntime, cgroupCpus, online, evidence);
  }

  private static Optional<CpuSet> cgroupCpus(HostRoot root, String v2Mount, Optional<String> v2Path,
      Optional<String> cgroupText, List<Evidence> evidence) {
    Optional<String> cpusetV1 = cgroupText.flatMap(t -> parseCgroupPath(t, false, "cpuset"));
    Optional<String> v1Dir = cpusetV1.flatMap(p -> v1Dir(root, "cpuset", p));
    if (v1Dir.isPresent()) {
      return cpus(root, v1Dir.get() + "/cpuset.effective_cpus", evidence);
    }
    if (v2Path.isPresent()) {
      // cpuset.cpus.effective exists only where the cpuset controller is enabled; the nearest
      // ancestor that has it (at last the root cgroup) bounds the process.
      String path = v2Path.get();
      while (true) {
        String dir = path.equals("/") ? v2Mount : v2Mount + path;
        if (exists(root, dir + "/cpuset.cpus.effective")) {
          return cpus(root, dir + "/cpuset.cpus.effective", evidence);
        }
        if (path.equals("/") || path.isEmpty()) {
          return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        path = slash <= 0 ? "/" : path.substring(0, slash);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> v1Dir(HostRoot root, String controller, String path) {
    for (String mount : List.of(controller, "cpu,cpuacct", "cpuacct,cpu", "cpuset")) {
      if (!List.of(mount.split(",")).contains(controller)) {
        continue;
      }
      String dir = "/sys/fs/cgroup/" + mount + (path.equals("/") ? "" : path);
      if (java.nio.file.Files.isDirectory(root.resolve("/sys/fs/cgroup/" + mount))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static boolean exists(HostRoot root, String path) {
    return java.nio.file.Files.exists(root.resolve(path));
  }

  private static Optional<String> text(HostRoot root, String path) {
    return KernelFiles.readTrimmed(root.resolve(path));
  }

  private static OptionalLong number(HostRoot root, String path, List<Evidence> evidence) {
    Optional<String> t = text(root, path);
    t.ifPresent(v -> evidence.add(new Evidence(path, v)));
    try {
      return t.map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static Optional<CpuSet> cpus(HostRoot root, String path, List<Evidence> evidence) {
    Optional<String> t = text(root, path);
    t.ifPresent(v -> evidence.add(new Evidence(path, v.isEmpty() ? "(empty)" : v)));
    try {
      return t.filter(v -> !v.isEmpty()).map(CpuSet::parse);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static boolean bit(long mask, int bit) {
    return (mask >>> bit & 1) != 0;
  }

  /** Whether the process has CAP_SYS_NICE; empty when /proc/self/status was not readable. */
  Optional<Boolean> capSysNice() {
    return capEff.isPresent() ? Optional.of(bit(capEff.getAsLong(), CAP_SYS_NICE)) : Optional.empty();
  }

  /** Whether the process has CAP_IPC_LOCK. */
  Optional<Boolean> capIpcLock() {
    return capEff.isPresent() ? Optional.of(bit(capEff.getAsLong(), CAP_IPC_LOCK)) : Optional.empty();
  }

  Optional<Limit> limit(String name) {
    return Optional.ofNullable(limits.get(name));
  }

  /** The CPUs the process may use: the cgroup's effective cpuset within the online CPUs. */
  Optional<CpuSet> allowedCpus() {
    if (cgroupCpus.isPresent() && onlineCpus.isPresent()) {
      return Optional.of(cgroupCpus.get().intersect(onlineCpus.get()));
    }
    return cgroupCpus.or(() -> onlineCpus);
  }
}
