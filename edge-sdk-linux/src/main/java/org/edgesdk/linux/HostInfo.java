package org.edgesdk.linux;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.internal.KernelFiles;

/**
 * Facts about the host read from procfs and sysfs below a {@link HostRoot}: the kernel release and
 * build string, the machine architecture, the host name and the online CPUs.
 *
 * <p>Each fact is {@link Availability}: a fixture tree or a locked-down container may lack a file, and
 * the reason then names the file.
 *
 * @param root the root the facts were read from
 * @param kernelRelease the kernel release ({@code uname -r}), from {@code /proc/sys/kernel/osrelease}
 * @param kernelVersion the kernel build line, from {@code /proc/version} (it names the preemption
 *     model, for example {@code SMP PREEMPT_DYNAMIC} or {@code SMP PREEMPT_RT})
 * @param architecture the machine architecture ({@code uname -m}), from {@code /proc/sys/kernel/arch}
 *     (kernels 5.x and later)
 * @param hostname the host name, from {@code /proc/sys/kernel/hostname}
 * @param onlineCpus the CPUs online now, from {@code /sys/devices/system/cpu/online}
 */
public record HostInfo(
    HostRoot root,
    Availability<String> kernelRelease,
    Availability<String> kernelVersion,
    Availability<String> architecture,
    Availability<String> hostname,
    Availability<CpuSet> onlineCpus) {

  /**
   * Creates the facts.
   *
   * @param root the root the facts were read from
   * @param kernelRelease the kernel release
   * @param kernelVersion the kernel build line
   * @param architecture the machine architecture
   * @param hostname the host name
   * @param onlineCpus the online CPUs
   */
  public HostInfo {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(kernelRelease, "kernelRelease");
    Objects.requireNonNull(kernelVersion, "kernelVersion");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(onlineCpus, "onlineCpus");
  }

  /**
   * Reads the facts below {@code root}.
   *
   * @param root the directory standing in for {@code /}
   * @return the facts, each available or with the reason it is not
   * @throws org.edgesdk.api.EdgeException if a file exists but cannot be read
   */
  public static HostInfo read(HostRoot root) {
    Objects.requireNonNull(root, "root");
    return new HostInfo(
        root,
        text(root, "/proc/sys/kernel/osrelease"),
        text(root, "/proc/version"),
        text(root, "/proc/sys/kernel/arch"),
        text(root, "/proc/sys/kernel/hostname"),
        cpus(root, "/sys/devices/system/cpu/online"));
  }

  private static Availability<String> text(HostRoot root, String systemPath) {
    Path file = root.resolve(systemPath);
    Optional<String> value = KernelFiles.readTrimmed(file).filter(s -> !s.isEmpty());
    return value.isPresent()
        ? Availability.of(value.get())
        : Availability.unavailable(systemPath + " is missing or empty below " + root.path());
  }

  private static Availability<CpuSet> cpus(HostRoot root, String systemPath) {
    Availability<String> list = text(root, systemPath);
    if (!list.isAvailable()) {
      return list.map(CpuSet::parse);
    }
    try {
      return Availability.of(CpuSet.parse(list.orElseThrow()));
    } catch (IllegalArgumentException e) {
      return Availability.unavailable(systemPath + " is malformed: " + e.getMessage());
    }
  }
}
