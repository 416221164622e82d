package org.edgesdk.linux.posture.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.posture.Limit;

/**
 * Reads the limits of controllers mounted as cgroup v1 hierarchies (v1-only hosts, hybrid hosts, and
 * controllers a cgroup v2 tree lacks).
 *
 * <p>Each controller is located on its own: the {@code /proc/self/cgroup} line
 * {@code ID:controller[,controller...]:PATH} naming it gives the process's cgroup in that hierarchy,
 * and the {@code cgroup} mount of mountinfo whose super options name it gives the directory. PATH is
 * mapped below the mount's root as for cgroup v2: a container's hierarchy is mounted with its own
 * cgroup as root (the files are at the mount point, ancestors hidden), a host's with root {@code /}
 * (the whole tree visible). Only the kernel's root cgroup of a v1 hierarchy has {@code release_agent},
 * which tells the two apart when a cgroup namespace shows a container's cgroup as {@code /}.
 *
 * <p>Files read: {@code cpu.cfs_quota_us} and {@code cpu.cfs_period_us} (quota {@code -1}: no
 * limit), {@code memory.limit_in_bytes} (values of at least {@link #MEMORY_UNLIMITED_BOUND} are the
 * kernel's "unlimited"), {@code pids.max}, and {@code cpuset.effective_cpus} or {@code cpuset.cpus}.
 * The tightest value over the cgroup and its visible ancestors wins (for memory, only the ancestors
 * that account their children: an ancestor with {@code memory.use_hierarchy} 0, possible before kernel
 * 5.11, ends the walk). v1 has no {@code memory.high}.
 */
public final class CgroupV1 {
  /**
   * The smallest {@code memory.limit_in_bytes} that means "no limit": the kernel reports an unset
   * limit as {@code PAGE_COUNTER_MAX} pages, {@code 9223372036854771712} with 4 KiB pages and other
   * values near 2^63 with other page sizes, all at least {@code 0x7FFFFFFFFF000000}. The JDK's
   * container support uses the same bound.
   */
  public static final long MEMORY_UNLIMITED_BOUND = 0x7FFFFFFFFF000000L;

  private static final String DEFAULT_MOUNT = "/sys/fs/cgroup";
  private static final String MEMORY_NOTE = "; memory.limit_in_bytes values of at least"
      + " 0x7FFFFFFFFF000000 are the kernel's 'no limit' (PAGE_COUNTER_MAX pages:"
      + " 9223372036854771712 with 4 KiB pages)";

  private final HostRoot root;
  private final String procSelfCgroup;
  private final MountTable mounts;

  /**
   * Creates a reader.
   *
   * @param root the directory standing in for {@code /}
   * @param procSelfCgroup the content of {@code /proc/self/cgroup}
   * @param mounts the mount table of the process
   */
  public CgroupV1(HostRoot root, String procSelfCgroup, MountTable mounts) {
    this.root = root;
    this.procSelfCgroup = procSelfCgroup;
    this.mounts = mounts;
  }

  /**
   * Where one controller's hierarchy puts the process.
   *
   * @param controller the controller, for example {@code memory}
   * @param cgroup the path of {@code /proc/self/cgroup}
   * @param levels the process's cgroup directory, then its visible ancestors up to the mount point
   * @param hostRoot whether the process is in the kernel's root cgroup of the hierarchy
   * @param wholeTree whether the levels reach the kernel's root cgroup (no ancestor is hidden)
   */
  public record Hierarchy(String controller, String cgroup, List<String> levels, boolean hostRoot,
      boolean wholeTree) {
    /**
     * Creates a location.
     *
     * @param controller the controller
     * @param cgroup the process's cgroup path
     * @param levels the directories, the process's own first
     * @param hostRoot whether it is the kernel's root cgroup
     * @param wholeTree whether no ancestor is hidden
     */
    public Hierarchy {
      levels = List.copyOf(levels);
    }

    /**
     * Describes the location for the report.
     *
     * @return for example {@code memory /docker/abc at /sys/fs/cgroup/memory}
     */
    public String describe() {
      String leaf = levels.get(0);
      return controller + " " + cgroup + " at " + leaf
          + (hostRoot ? " (the root cgroup)" : "")
          + (!wholeTree && leaf.equals(levels.get(levels.size() - 1))
              ? " (the mount shows the container's own cgroup; ancestors hidden)" : "");
    }
  }

  /**
   * Locates the hierarchy of a controller.
   *
   * @param controller the controller as mountinfo and {@code /proc/self/cgroup} name it
   * @return the location, or why it cannot be found
   */
  public Availability<Hierarchy> locate(String controller) {
    Optional<String> path = pathOf(procSelfCgroup, controller);
    if (path.isEmpty()) {
      return Availability.unavailable("/proc/self/cgroup has no cgroup v1 line naming the " + controller
          + " controller (ID:" + controller + ":/path): the kernel lacks it or it is not mounted");
    }
    String cgroup = path.get();
    List<MountTable.Mount> candidates = mounts.ofType("cgroup").stream()
        .filter(m -> m.superOptions().contains(controller)).toList();
    if (candidates.isEmpty()) {
      return Availability.unavailable("no cgroup v1 hierarchy with the " + controller + " controller is"
          + " mounted (mountinfo lists no cgroup mount whose options name " + controller + ")");
    }
    if (cgroup.contains("/..") || cgroup.endsWith(" (deleted)")) {
      return Availability.unavailable("/proc/self/cgroup names " + cgroup + " for the " + controller
          + " controller, outside this process's cgroup namespace");
    }
    Optional<MountTable.Mount> covering = candidates.stream()
        .filter(m -> covers(m.root(), cgroup))
        .sorted((a, b) -> Boolean.compare(!a.mountPoint().startsWith(DEFAULT_MOUNT + "/"),
            !b.mountPoint().startsWith(DEFAULT_MOUNT + "/")))
        .findFirst();
    if (covering.isEmpty()) {
      MountTable.Mount first = candidates.get(0);
      return Availability.unavailable("the process's " + controller + " cgroup " + cgroup + " is not below"
          + " the root " + first.root() + " of the cgroup v1 mount at " + first.mountPoint());
    }
    String mountPoint = covering.get().mountPoint();
    String mountRoot = covering.get().root();
    String relative;
    if (mountRoot.equals("/")) {
      relative = cgroup;
    } else if (cgroup.equals(mountRoot)) {
      relative = "/";
    } else {
      relative = cgroup.substring(mountRoot.length());
    }
    String leaf = relative.equals("/") ? mountPoint : mountPoint + relative;
    if (!Probe.isDirectory(root, leaf)) {
      return Availability.unavailable("the cgroup directory " + leaf + " (for " + controller + " " + cgroup
          + ") does not exist");
    }
    // Only the kernel's root cgroup of a v1 hierarchy carries release_agent.
    boolean wholeTree = Probe.exists(root, mountPoint + "/release_agent");
    List<String> levels = new ArrayList<>();
    for (String dir = leaf; dir.startsWith(mountPoint); dir = parent(dir)) {
      levels.add(dir);
      if (dir.equals(mountPoint)) {
        break;
      }
    }
    return Availability.of(new Hierarchy(controller, cgroup, levels, relative.equals("/") && wholeTree,
        wholeTree));
  }

  private static boolean covers(String mountRoot, String cgroup) {
    return mountRoot.equals("/") || cgroup.equals(mountRoot) || cgroup.startsWith(mountRoot + "/");
  }

  /**
   * Returns the path of the {@code /proc/self/cgroup} line naming a v1 controller.
   *
   * @param text the file content
   * @param controller the controller, for example {@code cpu} (not matched by {@code cpuacct})
   * @return the path, or empty when no line names it
   */
  public static Optional<String> pathOf(String text, String controller) {
    for (String line : text.split("\n")) {
      int first = line.indexOf(':');
      int second = first < 0 ? -1 : line.indexOf(':', first + 1);
      if (second < 0) {
        continue;
      }
      List<String> controllers = Arrays.asList(line.substring(first + 1, second).split(","));
      String path = line.substring(second + 1).strip();
      if (controllers.contains(controller) && path.startsWith("/")) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the CPU quota in cores.
   *
   * @param hierarchy the cpu hierarchy
   * @return the tightest quota along the path, or why none applies or is known
   */
  public Limit<Double> cpuCores(Availability<Hierarchy> hierarchy) {
    return effective(hierarchy, "cpu.cfs_quota_us", "", dir -> {
      String quotaPath = dir + "/cpu.cfs_quota_us";
      Optional<String> quotaRaw = text(quotaPath);
      if (quotaRaw.isEmpty()) {
        return Optional.empty();
      }
      Optional<Long> quota = parse(quotaPath, quotaRaw.get(), CgroupV1::parseCfsQuota);
      if (quota.isEmpty()) {
        return Optional.of(new Reading<>(Optional.empty(), quotaPath + " = " + quotaRaw.get()));
      }
      String periodPath = dir + "/cpu.cfs_period_us";
      String periodRaw = text(periodPath).orElseThrow(() -> new Bad(periodPath + " is missing next to "
          + quotaPath + " = " + quotaRaw.get()));
      long period = parse(periodPath, periodRaw, CgroupV1::parseCfsPeriod);
      return Optional.of(new Reading<>(Optional.of((double) quota.get() / period),
          quotaPath + " = " + quotaRaw.get() + ", " + periodPath + " = " + periodRaw));
    });
  }

  /**
   * Reads the hard memory limit in bytes from {@code memory.limit_in_bytes}.
   *
   * @param hierarchy the memory hierarchy
   * @return the tightest limit along the path, or why none applies or is known
   */
  public Limit<Long> memoryMax(Availability<Hierarchy> hierarchy) {
    String note = MEMORY_NOTE;
    Availability<Hierarchy> counted = hierarchy;
    if (hierarchy instanceof Availability.Available<Hierarchy> a) {
      // Before kernel 5.11 a parent with memory.use_hierarchy 0 does not charge its children: its
      // limit, and every limit above it, does not apply to them.
      List<String> levels = a.value().levels();
      for (int i = 1; i < levels.size(); i++) {
        String flag = levels.get(i) + "/memory.use_hierarchy";
        if (Probe.read(root, flag).trimmed().filter("0"::equals).isPresent()) {
          note += "; " + flag + " = 0, so neither it nor its ancestors limit this cgroup";
          counted = Availability.of(new Hierarchy(a.value().controller(), a.value().cgroup(),
              levels.subList(0, i), false, false));
          break;
        }
      }
    }
    return effective(counted, "memory.limit_in_bytes", note,
        dir -> single(dir + "/memory.limit_in_bytes", CgroupV1::parseMemoryLimit));
  }

  /**
   * Answers the memory throttling threshold, which cgroup v1 does not have.
   *
   * @param hierarchy the memory hierarchy
   * @return no limit with the reason, or unknown when the hierarchy is not found
   */
  public Limit<Long> memoryHigh(Availability<Hierarchy> hierarchy) {
    if (hierarchy instanceof Availability.Unavailable<Hierarchy> u) {
      return new Limit.Unknown<>(u.reason());
    }
    return new Limit.Unlimited<>("cgroup v1 (memory hierarchy at " + hierarchy.orElseThrow().levels().get(0)
        + ") has no memory.high: nothing throttles below memory.limit_in_bytes"
        + " (memory.soft_limit_in_bytes is a reclaim hint under pressure, not a throttle)");
  }

  /**
   * Reads the maximum number of tasks from {@code pids.max}.
   *
   * @param hierarchy the pids hierarchy
   * @return the tightest limit along the path, or why none applies or is known
   */
  public Limit<Long> pidsMax(Availability<Hierarchy> hierarchy) {
    return effective(hierarchy, "pids.max", "",
        dir -> single(dir + "/pids.max", CgroupReader::parseMaxOrNumber));
  }

  /**
   * Reads the CPUs the process may run on: {@code cpuset.effective_cpus}, or {@code cpuset.cpus}
   * where the kernel lacks the former, in the process's own cgroup.
   *
   * @param hierarchy the cpuset hierarchy
   * @return the CPUs, or why they are not known
   */
  public Availability<CpuSet> cpuset(Availability<Hierarchy> hierarchy) {
    if (hierarchy instanceof Availability.Unavailable<Hierarchy> u) {
      return Availability.unavailable(u.reason());
    }
    String leaf = hierarchy.orElseThrow().levels().get(0);
    for (String name : List.of("cpuset.effective_cpus", "cpuset.cpus")) {
      String path = leaf + "/" + name;
      Probe probe = Probe.read(root, path);
      if (probe.failure() != null) {
        return Availability.unavailable(String.valueOf(probe.failure()));
      }
      if (probe.present()) {
        try {
          return Availability.of(CpuSet.parse(String.valueOf(probe.text())));
        } catch (IllegalArgumentException e) {
          return Availability.unavailable(path + " is malformed: " + e.getMessage());
        }
      }
    }
    return Availability.unavailable(leaf + "/cpuset.effective_cpus and " + leaf + "/cpuset.cpus are"
        + " missing");
  }

  /**
   * Parses {@code cpu.cfs_quota_us}: {@code -1} or a positive number of microseconds.
   *
   * @param raw the trimmed content
   * @return the quota, or empty for {@code -1} (no limit)
   * @throws IllegalArgumentException naming the content when it is neither
   */
  public static Optional<Long> parseCfsQuota(String raw) {
    if (raw.equals("-1")) {
      return Optional.empty();
    }
    return Optional.of(positive(raw, "'-1' or a positive number of microseconds"));
  }

  /**
   * Parses {@code cpu.cfs_period_us}: a positive number of microseconds.
   *
   * @param raw the trimmed content
   * @return the period
   * @throws IllegalArgumentException naming the content when it is not positive
   */
  public static long parseCfsPeriod(String raw) {
    return positive(raw, "a positive number of microseconds");
  }

  /**
   * Parses {@code memory.limit_in_bytes}: a number of bytes, where values of at least
   * {@link #MEMORY_UNLIMITED_BOUND} mean no limit.
   *
   * @param raw the trimmed content
   * @return the limit, or empty for the kernel's "unlimited"
   * @throws IllegalArgumentException naming the content when it is not a number of bytes
   */
  public static Optional<Long> parseMemoryLimit(String raw) {
    long value;
    try {
      value = digits(raw) ? Long.parseLong(raw) : -1;
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0) {
      throw new IllegalArgumentException("'" + raw + "', expected a number of bytes");
    }
    return value >= MEMORY_UNLIMITED_BOUND ? Optional.empty() : Optional.of(value);
  }

  private static long positive(String raw, String expected) {
    long value;
    try {
      value = digits(raw) ? Long.parseLong(raw) : 0;
    } catch (NumberFormatException e) {
      value = 0;
    }
    if (value <= 0) {
      throw new IllegalArgumentException("'" + raw + "', expected " + expected);
    }
    return value;
  }

  private static boolean digits(String raw) {
    return !raw.isEmpty() && raw.length() <= 19 && raw.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static String parent(String dir) {
    int slash = dir.lastIndexOf('/');
    return slash <= 0 ? "/" : dir.substring(0, slash);
  }

  /** One level's value (empty: no limit there) and the files and values read. */
  private record Reading<T>(Optional<T> value, String evidence) {}

  /** Why a level could not be read: the message names the file and the problem. */
  private static final class Bad extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bad(String reason) {
      super(reason, null, false, false);
    }
  }

  @FunctionalInterface
  private interface LevelReader<T> {
    /** Returns the level's reading, empty when its file is missing; throws {@link Bad}. */
    Optional<Reading<T>> read(String dir);
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse(String raw);
  }

  private Optional<String> text(String path) {
    Probe probe = Probe.read(root, path);
    if (probe.failure() != null) {
      throw new Bad(String.valueOf(probe.failure()));
    }
    return probe.trimmed();
  }

  private static <T> T parse(String path, String raw, Parser<T> parser) {
    try {
      return parser.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new Bad(path + " is malformed: " + e.getMessage());
    }
  }

  private <T> Optional<Reading<T>> single(String path, Parser<Optional<T>> parser) {
    return text(path).map(raw -> new Reading<>(parse(path, raw, parser), path + " = " + raw));
  }

  private <T extends Comparable<T>> Limit<T> effective(Availability<Hierarchy> located, String file,
      String unlimitedNote, LevelReader<T> reader) {
    if (located instanceof Availability.Unavailable<Hierarchy> u) {
      return new Limit.Unknown<>(u.reason());
    }
    Hierarchy hierarchy = located.orElseThrow();
    T best = null;
    String bestSource = "";
    boolean leafMissing = false;
    List<String> read = new ArrayList<>();
    for (String dir : hierarchy.levels()) {
      Optional<Reading<T>> reading;
      try {
        reading = reader.read(dir);
      } catch (Bad e) {
        return new Limit.Unknown<>(String.valueOf(e.getMessage()));
      }
      if (reading.isEmpty()) {
        leafMissing |= dir.equals(hierarchy.levels().get(0));
        continue;
      }
      read.add(reading.get().evidence());
      Optional<T> value = reading.get().value();
      if (value.isPresent() && (best == null || value.get().compareTo(best) < 0)) {
        best = value.get();
        bestSource = reading.get().evidence();
      }
    }
    String leaf = hierarchy.levels().get(0);
    if (best != null) {
      return new Limit.Limited<>(best, bestSource);
    }
    if (read.isEmpty()) {
      if (hierarchy.hostRoot()) {
        return new Limit.Unlimited<>("the process is in the root cgroup of the cgroup v1 "
            + hierarchy.controller() + " hierarchy, which the kernel never limits (no " + file + " there)");
      }
      if (hierarchy.wholeTree()) {
        return new Limit.Unlimited<>("no " + file + " in " + leaf + " or any ancestor up to the root"
            + " cgroup of the cgroup v1 " + hierarchy.controller() + " hierarchy, so nothing limits it");
      }
      return new Limit.Unknown<>(leaf + "/" + file + " is missing, and in every visible ancestor of the"
          + " cgroup v1 " + hierarchy.controller() + " hierarchy");
    }
    return new Limit.Unlimited<>(String.join(", ", read)
        + (leafMissing ? " (no " + file + " in the process's own cgroup)" : "") + unlimitedNote);
  }
}
