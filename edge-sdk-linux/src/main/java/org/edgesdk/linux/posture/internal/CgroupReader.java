package org.edgesdk.linux.posture.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.posture.CgroupLimits;
import org.edgesdk.linux.posture.Limit;

/**
 * Reads the cgroup limits of the process: finds its cgroup from {@code /proc/self/cgroup}
 * ({@code 0::/path}) and the cgroup2 mount from mountinfo, then reads {@code cpu.max},
 * {@code memory.max}, {@code memory.high}, {@code pids.max} in that cgroup and its visible ancestors
 * (the tightest wins) and {@code cpuset.cpus.effective} in the cgroup itself.
 *
 * <p>With a cgroup namespace (the default for containers on cgroup v2) {@code /proc/self/cgroup}
 * reads {@code 0::/} and the container's own files are directly under the mount point.
 *
 * <p>Controllers on cgroup v1 hierarchies (a v1-only host, a hybrid host whose v2 tree holds no
 * controller or lacks some) are read by {@link CgroupV1} instead.
 */
public final class CgroupReader {
  private static final String DEFAULT_MOUNT = "/sys/fs/cgroup";
  private static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids", "cpuset");

  private final HostRoot root;

  private CgroupReader(HostRoot root) {
    this.root = root;
  }

  /**
   * Reads the limits.
   *
   * @param root the directory standing in for {@code /}
   * @param cgroupFile the probe of {@code /proc/self/cgroup}
   * @param mounts the mount table, when mountinfo was readable
   * @return the limits, each with its evidence or the reason it is unknown
   */
  public static CgroupLimits read(HostRoot root, Probe cgroupFile, Optional<MountTable> mounts) {
    return new CgroupReader(root).read(cgroupFile, mounts);
  }

  private CgroupLimits read(Probe cgroupFile, Optional<MountTable> mounts) {
    if (!cgroupFile.present()) {
      return unknown(cgroupFile.whyUnknown() + "; the process's cgroup is not known");
    }
    String cgroupText = String.valueOf(cgroupFile.text());
    Optional<String> path = unifiedPath(cgroupText);
    if (path.isEmpty()) {
      return mounts.map(t -> readV1(cgroupText, t)).orElseGet(() -> unknown("/proc/self/cgroup has no"
          + " cgroup v2 entry (0::/path), so the host uses cgroup v1 only, and without mountinfo its"
          + " hierarchies cannot be located"));
    }
    String mountPoint = DEFAULT_MOUNT;
    String mountRoot = "/";
    if (mounts.isPresent()) {
      List<MountTable.Mount> cgroup2 = mounts.get().ofType("cgroup2");
      if (cgroup2.isEmpty()) {
        if (mounts.get().ofType("cgroup").isEmpty()) {
          return unknown("no cgroup2 file system is mounted (mountinfo lists no cgroup mount at all, as"
              + " under a minimal init), so no limit can be read");
        }
        return readV1(cgroupText, mounts.get());
      }
      MountTable.Mount mount = cgroup2.stream()
          .filter(m -> m.mountPoint().equals(DEFAULT_MOUNT)).findFirst().orElse(cgroup2.get(0));
      mountPoint = mount.mountPoint();
      mountRoot = mount.root();
    } else if (!Probe.exists(root, DEFAULT_MOUNT + "/cgroup.controllers")) {
      return unknown("no mountinfo and no " + DEFAULT_MOUNT + "/cgroup.controllers: cgroup v2 is not"
          + " visible");
    }
    Probe available = Probe.read(root, mountPoint + "/cgroup.controllers");
    if (available.present() && available.trimmed().orElse("").isEmpty()
        && mounts.map(t -> !t.ofType("cgroup").isEmpty()).orElse(false)) {
      // Hybrid hierarchy: the v2 tree holds no controller, every limit is set through cgroup v1.
      return readV1(cgroupText, mounts.get());
    }
    String cgroup = path.get();
    String relative;
    if (cgroup.contains("/..") || cgroup.endsWith(" (deleted)")) {
      return unknown("/proc/self/cgroup names " + cgroup + ", outside this process's cgroup namespace");
    } else if (mountRoot.equals("/")) {
      relative = cgroup;
    } else if (cgroup.equals(mountRoot)) {
      relative = "/";
    } else if (cgroup.startsWith(mountRoot + "/")) {
      relative = cgroup.substring(mountRoot.length());
    } else {
      return unknown("the process's cgroup " + cgroup + " is not below the cgroup2 mount's root "
          + mountRoot + " at " + mountPoint);
    }
    String leaf = relative.equals("/") ? mountPoint : mountPoint + relative;
    if (!Probe.isDirectory(root, leaf)) {
      return unknown("the cgroup directory " + leaf + " (for " + cgroup + ") does not exist");
    }
    // The kernel's root cgroup has no cgroup.events; a cgroup namespace's root (or a delegated
    // subtree mounted on its own) has one, and its ancestors are hidden.
    boolean wholeTree = !Probe.exists(root, mountPoint + "/cgroup.events");
    boolean hostRoot = relative.equals("/") && wholeTree;
    String controllers = Probe.read(root, leaf + "/cgroup.controllers").trimmed().orElse("");
    List<String> levels = new ArrayList<>();
    for (String dir = leaf; dir.startsWith(mountPoint); dir = parent(dir)) {
      levels.add(dir);
      if (dir.equals(mountPoint)) {
        break;
      }
    }
    List<String> v1 = mounts.map(t -> t.ofType("cgroup").stream()
        .flatMap(m -> m.superOptions().stream()).toList()).orElse(List.of());
    Context context = new Context(levels, hostRoot, wholeTree, controllers, mountPoint,
        List.of(available.trimmed().orElse("").split("\\s+")), v1);
    String where = cgroup + " at " + leaf
        + (relative.equals("/") && !hostRoot ? " (cgroup namespace: the container's own cgroup)" : "")
        + (hostRoot ? " (the root cgroup)" : "");
    if (CONTROLLERS.stream().noneMatch(c -> context.notInHierarchy(c).isPresent())) {
      return new CgroupLimits(
          Availability.of(where),
          effective(context, "cpu.max", "cpu", CgroupReader::parseCpuMax),
          effective(context, "memory.max", "memory", CgroupReader::parseMaxOrNumber),
          effective(context, "memory.high", "memory", CgroupReader::parseMaxOrNumber),
          effective(context, "pids.max", "pids", CgroupReader::parseMaxOrNumber),
          cpuset(levels, controllers));
    }
    // Hybrid hierarchy: the controllers the v2 tree lacks are read from their v1 hierarchies.
    CgroupV1 reader = new CgroupV1(root, cgroupText, mounts.orElseThrow());
    Map<String, Availability<CgroupV1.Hierarchy>> onV1 = new LinkedHashMap<>();
    for (String controller : CONTROLLERS) {
      if (context.notInHierarchy(controller).isPresent()) {
        onV1.put(controller, reader.locate(controller));
      }
    }
    return new CgroupLimits(
        Availability.of(where + "; " + describeV1(onV1.values()).orElse("cgroup v1: "
            + String.join(", ", onV1.keySet()) + " not located")),
        onV1.containsKey("cpu") ? reader.cpuCores(onV1.get("cpu"))
            : effective(context, "cpu.max", "cpu", CgroupReader::parseCpuMax),
        onV1.containsKey("memory") ? reader.memoryMax(onV1.get("memory"))
            : effective(context, "memory.max", "memory", CgroupReader::parseMaxOrNumber),
        onV1.containsKey("memory") ? reader.memoryHigh(onV1.get("memory"))
            : effective(context, "memory.high", "memory", CgroupReader::parseMaxOrNumber),
        onV1.containsKey("pids") ? reader.pidsMax(onV1.get("pids"))
            : effective(context, "pids.max", "pids", CgroupReader::parseMaxOrNumber),
        onV1.containsKey("cpuset") ? reader.cpuset(onV1.get("cpuset")) : cpuset(levels, controllers));
  }

  /** Reads every limit from cgroup v1 hierarchies: a v1-only host, or a v2 tree without controllers. */
  private CgroupLimits readV1(String cgroupText, MountTable mounts) {
    CgroupV1 v1 = new CgroupV1(root, cgroupText, mounts);
    Availability<CgroupV1.Hierarchy> cpu = v1.locate("cpu");
    Availability<CgroupV1.Hierarchy> memory = v1.locate("memory");
    Availability<CgroupV1.Hierarchy> pids = v1.locate("pids");
    Availability<CgroupV1.Hierarchy> cpuset = v1.locate("cpuset");
    List<Availability<CgroupV1.Hierarchy>> all = List.of(cpu, memory, pids, cpuset);
    Availability<String> where = describeV1(all).map(Availability::of).orElseGet(() ->
        Availability.unavailable(all.stream().map(a -> ((Availability.Unavailable<?>) a).reason())
            .distinct().collect(Collectors.joining("; "))));
    return new CgroupLimits(where, v1.cpuCores(cpu), v1.memoryMax(memory), v1.memoryHigh(memory),
        v1.pidsMax(pids), v1.cpuset(cpuset));
  }

  private static Optional<String> describeV1(Collection<Availability<CgroupV1.Hierarchy>> located) {
    List<String> found = located.stream().flatMap(a -> a.toOptional().stream())
        .map(CgroupV1.Hierarchy::describe).toList();
    return found.isEmpty() ? Optional.empty() : Optional.of("cgroup v1: " + String.join(", ", found));
  }

  /**
   * What every limit read shares.
   *
   * @param levels the process's cgroup directory, then its ancestors up to the mount point
   * @param hostRoot whether the process is in the host's root cgroup
   * @param wholeTree whether the levels reach the kernel's root cgroup (no ancestor is hidden)
   * @param controllers the controllers enabled in the process's cgroup (its cgroup.controllers)
   * @param mountPoint where cgroup2 is mounted
   * @param hierarchy the controllers of the cgroup at the mount point
   * @param v1 the options of the cgroup v1 mounts, which name their controllers
   */
  private record Context(List<String> levels, boolean hostRoot, boolean wholeTree, String controllers,
      String mountPoint,
      List<String> hierarchy, List<String> v1) {

    Optional<String> notInHierarchy(String controller) {
      if (hierarchy.contains(controller) || !v1.contains(controller)) {
        return Optional.empty();
      }
      return Optional.of("hybrid cgroup hierarchy: the " + controller + " controller is not in the"
          + " cgroup v2 tree at " + mountPoint + " (its cgroup.controllers: " + String.join(" ", hierarchy)
          + "); it is mounted as cgroup v1");
    }
  }

  private static CgroupLimits unknown(String reason) {
    return new CgroupLimits(
        Availability.unavailable(reason),
        new Limit.Unknown<>(reason),
        new Limit.Unknown<>(reason),
        new Limit.Unknown<>(reason),
        new Limit.Unknown<>(reason),
        Availability.unavailable(reason));
  }

  /**
   * Returns the path of the {@code 0::} line of {@code /proc/self/cgroup}.
   *
   * @param text the file content
   * @return the cgroup v2 path, or empty on a cgroup v1-only host
   */
  public static Optional<String> unifiedPath(String text) {
    for (String line : text.split("\n")) {
      if (line.startsWith("0::")) {
        String path = line.substring(3).strip();
        return path.startsWith("/") ? Optional.of(path) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static String parent(String dir) {
    int slash = dir.lastIndexOf('/');
    return slash <= 0 ? "/" : dir.substring(0, slash);
  }

  private <T extends Comparable<T>> Limit<T> effective(
      Context context, String file, String controller, Function<String, Optional<T>> parser) {
    Optional<String> hybrid = context.notInHierarchy(controller);
    if (hybrid.isPresent()) {
      return new Limit.Unknown<>(hybrid.get());
    }
    T best = null;
    String bestSource = "";
    boolean leafMissing = false;
    List<String> read = new ArrayList<>();
    for (String dir : context.levels()) {
      String path = dir + "/" + file;
      Probe probe = Probe.read(root, path);
      if (probe.failure() != null) {
        return new Limit.Unknown<>(probe.failure());
      }
      if (probe.missing()) {
        leafMissing |= dir.equals(context.levels().get(0));
        continue;
      }
      String raw = String.valueOf(probe.text()).strip();
      Optional<T> value;
      try {
        value = parser.apply(raw);
      } catch (IllegalArgumentException e) {
        return new Limit.Unknown<>(path + " is malformed: " + e.getMessage());
      }
      read.add(path + " = " + raw);
      if (value.isPresent() && (best == null || value.get().compareTo(best) < 0)) {
        best = value.get();
        bestSource = path + " = " + raw;
      }
    }
    if (best != null) {
      return new Limit.Limited<>(best, bestSource);
    }
    if (read.isEmpty()) {
      if (context.hostRoot()) {
        return new Limit.Unlimited<>("the process is in the root cgroup, which the kernel never limits"
            + " (no " + file + " there)");
      }
      if (context.wholeTree()) {
        return new Limit.Unlimited<>("no " + file + " in " + context.levels().get(0) + " or any ancestor up"
            + " to the root cgroup: the " + controller + " controller is not enabled along the path, so"
            + " nothing limits it");
      }
      return new Limit.Unknown<>(context.levels().get(0) + "/" + file + " is missing: the " + controller
          + " controller is not enabled for this cgroup (cgroup.controllers: "
          + (context.controllers().isEmpty() ? "none" : context.controllers()) + ")");
    }
    return new Limit.Unlimited<>(String.join(", ", read)
        + (leafMissing ? " (the " + controller + " controller is not enabled in the process's own cgroup)" : ""));
  }

  private Availability<CpuSet> cpuset(List<String> levels, String controllers) {
    // Without the cpuset controller a cgroup runs on its nearest ancestor's effective CPUs.
    String path = levels.get(0) + "/cpuset.cpus.effective";
    Probe probe = Probe.read(root, path);
    for (int i = 1; probe.missing() && i < levels.size(); i++) {
      path = levels.get(i) + "/cpuset.cpus.effective";
      probe = Probe.read(root, path);
    }
    if (!probe.present()) {
      return Availability.unavailable(probe.failure() != null ? String.valueOf(probe.failure())
          : levels.get(0) + "/cpuset.cpus.effective is missing, and in every visible ancestor: the cpuset"
              + " controller is not enabled for this cgroup (cgroup.controllers: "
              + (controllers.isEmpty() ? "none" : controllers) + ")");
    }
    try {
      return Availability.of(CpuSet.parse(String.valueOf(probe.text())));
    } catch (IllegalArgumentException e) {
      return Availability.unavailable(path + " is malformed: " + e.getMessage());
    }
  }

  /**
   * Parses {@code cpu.max}: {@code max PERIOD} or {@code QUOTA PERIOD}, optionally followed by a
   * burst field.
   *
   * @param raw the trimmed content
   * @return the quota in cores, or empty for {@code max}
   * @throws IllegalArgumentException naming the content when it is not in that form
   */
  public static Optional<Double> parseCpuMax(String raw) {
    String[] fields = raw.split("\\s+");
    if (fields.length < 2 || fields.length > 3) {
      throw new IllegalArgumentException("'" + raw + "', expected 'max PERIOD' or 'QUOTA PERIOD'");
    }
    long period = positive(fields[1], raw);
    if (fields[0].equals("max")) {
      return Optional.empty();
    }
    return Optional.of((double) positive(fields[0], raw) / period);
  }

  /**
   * Parses {@code memory.max}, {@code memory.high} or {@code pids.max}: {@code max} or a number.
   *
   * @param raw the trimmed content
   * @return the number, or empty for {@code max}
   * @throws IllegalArgumentException naming the content when it is neither
   */
  public static Optional<Long> parseMaxOrNumber(String raw) {
    if (raw.equals("max")) {
      return Optional.empty();
    }
    if (raw.isEmpty() || raw.length() > 19 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("'" + raw + "', expected 'max' or a number");
    }
    return Optional.of(Long.parseLong(raw));
  }

  private static long positive(String field, String raw) {
    if (field.isEmpty() || field.length() > 18 || !field.chars().allMatch(c -> c >= '0' && c <= '9')
        || Long.parseLong(field) == 0) {
      throw new IllegalArgumentException("'" + raw + "': '" + field + "' is not a positive number of"
          + " microseconds; expected 'max PERIOD' or 'QUOTA PERIOD'");
    }
    return Long.parseLong(field);
  }
}
