package org.edgesdk.linux.posture.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.kernel.Evidence;
import org.edgesdk.linux.posture.ContainerRuntime;

/**
 * Tells the container runtime from its markers, strongest first: Kubernetes (environment,
 * service-account mount, kubepods cgroup), then Podman ({@code /run/.containerenv},
 * {@code container=podman}), then Docker ({@code /.dockerenv}, a docker cgroup path).
 *
 * <p>A marker file alone is discounted when {@code /} is a whole block device (for example
 * {@code ext4} on {@code /dev/vda}) rather than a container storage driver (overlay, a btrfs or zfs
 * subvolume, a device-mapper thin device): virtual machines whose disk was built from a container
 * image keep the image's {@code /.dockerenv}.
 */
public final class ContainerDetector {
  private ContainerDetector() {}

  /** The runtime and the evidence for it. */
  public record Result(ContainerRuntime runtime, List<Evidence> evidence) {
    /**
     * Creates a result.
     *
     * @param runtime the runtime
     * @param evidence the markers
     */
    public Result {
      evidence = List.copyOf(evidence);
    }
  }

  /**
   * Detects the runtime.
   *
   * @param root the directory standing in for {@code /}
   * @param environment the process environment
   * @param cgroupFile the probe of {@code /proc/self/cgroup}
   * @param mounts the mount table, when mountinfo was readable
   * @return the runtime with its evidence
   */
  public static Result detect(
      HostRoot root, Map<String, String> environment, Probe cgroupFile, Optional<MountTable> mounts) {
    List<Evidence> evidence = new ArrayList<>();
    String cgroups = cgroupFile.text() == null ? "" : String.valueOf(cgroupFile.text());

    boolean kubernetes = false;
    String host = environment.get("KUBERNETES_SERVICE_HOST");
    if (host != null) {
      evidence.add(new Evidence("KUBERNETES_SERVICE_HOST in the environment", host));
      kubernetes = true;
    }
    for (String dir : List.of("/var/run/secrets/kubernetes.io/serviceaccount",
        "/run/secrets/kubernetes.io/serviceaccount")) {
      if (Probe.isDirectory(root, dir)) {
        evidence.add(new Evidence(dir, "directory exists"));
        kubernetes = true;
        break;
      }
    }
    Optional<String> kubepods = line(cgroups, "kubepods");
    if (kubepods.isPresent()) {
      evidence.add(new Evidence("/proc/self/cgroup", kubepods.get()));
      kubernetes = true;
    }
    if (kubernetes) {
      return new Result(ContainerRuntime.KUBERNETES, evidence);
    }

    boolean podmanFile = Probe.exists(root, "/run/.containerenv");
    if (podmanFile) {
      Probe env = Probe.read(root, "/run/.containerenv");
      evidence.add(new Evidence("/run/.containerenv", env.trimmed()
          .map(t -> t.isEmpty() ? "exists (empty)" : t.replace('\n', ' ')).orElse("exists")));
    }
    boolean podmanEnv = "podman".equals(environment.get("container"));
    if (podmanEnv) {
      evidence.add(new Evidence("container in the environment", "podman"));
    }
    if (podmanEnv || (podmanFile && !discounted(mounts, "/run/.containerenv", evidence))) {
      return new Result(ContainerRuntime.PODMAN, evidence);
    }

    Optional<String> dockerCgroup = line(cgroups, "/docker/").or(() -> line(cgroups, "/docker-"));
    dockerCgroup.ifPresent(l -> evidence.add(new Evidence("/proc/self/cgroup", l)));
    boolean dockerFile = Probe.exists(root, "/.dockerenv");
    if (dockerFile) {
      evidence.add(new Evidence("/.dockerenv", "exists"));
    }
    if (dockerCgroup.isPresent() || (dockerFile && !discounted(mounts, "/.dockerenv", evidence))) {
      return new Result(ContainerRuntime.DOCKER, evidence);
    }
    return new Result(ContainerRuntime.NONE, evidence);
  }

  private static Optional<String> line(String text, String needle) {
    for (String line : text.split("\n")) {
      if (line.contains(needle)) {
        return Optional.of(line.strip());
      }
    }
    return Optional.empty();
  }

  private static boolean discounted(Optional<MountTable> mounts, String marker, List<Evidence> evidence) {
    Optional<MountTable.Mount> rootMount = mounts.flatMap(t -> t.at("/"));
    if (rootMount.isEmpty()) {
      return false;
    }
    MountTable.Mount m = rootMount.get();
    boolean wholeDisk = m.root().equals("/")
        && m.source().startsWith("/dev/")
        && !m.source().startsWith("/dev/mapper/docker-")
        && !m.fsType().equals("overlay")
        && !m.fsType().startsWith("fuse")
        && !m.fsType().equals("zfs");
    if (wholeDisk) {
      evidence.add(new Evidence("/ in /proc/self/mountinfo", m.fsType() + " on " + m.source()
          + ": the root is a whole block device, not a container storage driver, so " + marker
          + " is a leftover of the image this disk was built from"));
    }
    return wholeDisk;
  }
}
