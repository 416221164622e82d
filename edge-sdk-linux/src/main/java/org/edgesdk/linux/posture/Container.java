package org.edgesdk.linux.posture;

import java.util.List;
import java.util.Objects;
import org.edgesdk.linux.kernel.Evidence;

/**
 * The container the process runs in and the cgroup limits it gets.
 *
 * @param runtime the runtime, or {@link ContainerRuntime#NONE}
 * @param evidence the markers found (and any marker discounted, with the reason)
 * @param limits the cgroup limits (v2, or v1 where a controller is on a v1 hierarchy); they apply
 *     outside containers too (a systemd unit's {@code MemoryMax=}, or {@code MemoryLimit=} on v1)
 */
public record Container(ContainerRuntime runtime, List<Evidence> evidence, CgroupLimits limits) {
  /**
   * Creates the description.
   *
   * @param runtime the runtime
   * @param evidence the markers
   * @param limits the cgroup limits
   */
  public Container {
    Objects.requireNonNull(runtime, "runtime");
    evidence = List.copyOf(evidence);
    Objects.requireNonNull(limits, "limits");
  }

  /**
   * Returns whether the process runs in a container.
   *
   * @return {@code true} unless the runtime is {@link ContainerRuntime#NONE}
   */
  public boolean inContainer() {
    return runtime != ContainerRuntime.NONE;
  }
}
