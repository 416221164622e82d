package org.edgesdk.linux.posture;

/** The container runtime the process runs under, as its markers tell. */
public enum ContainerRuntime {
  /** Kubernetes (K3s, MicroK8s, ...): service-account mount, {@code KUBERNETES_SERVICE_HOST}, or kubepods cgroup. */
  KUBERNETES,
  /** Podman: {@code /run/.containerenv} or {@code container=podman}. */
  PODMAN,
  /** Docker: {@code /.dockerenv} or a docker cgroup path. */
  DOCKER,
  /** Not in a container (or in one that leaves none of these markers). */
  NONE
}
