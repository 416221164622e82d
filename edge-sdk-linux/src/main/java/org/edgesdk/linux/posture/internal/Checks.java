package org.edgesdk.linux.posture.internal;

import java.util.ArrayList;
import java.util.List;
import org.edgesdk.api.Availability;
import org.edgesdk.linux.posture.Container;
import org.edgesdk.linux.posture.ContainerRuntime;
import org.edgesdk.linux.posture.DevicePosture;
import org.edgesdk.linux.posture.Finding;
import org.edgesdk.linux.posture.FindingStatus;
import org.edgesdk.linux.posture.Limit;
import org.edgesdk.linux.posture.LockdownMode;
import org.edgesdk.linux.posture.MandatoryAccessControl;
import org.edgesdk.linux.posture.ProcessPrivileges;
import org.edgesdk.linux.posture.RootFilesystem;
import org.edgesdk.linux.posture.SelinuxMode;
import org.edgesdk.linux.posture.Tpm;

/** The hardening checks: each turns facts of a {@link DevicePosture} into a {@link Finding}. */
public final class Checks {
  private Checks() {}

  /**
   * Evaluates every check that applies: the host checks always, the container checks only inside
   * a container.
   *
   * @param p the facts (its findings are ignored)
   * @return the findings in a stable order
   */
  public static List<Finding> evaluate(DevicePosture p) {
    List<Finding> findings = new ArrayList<>();
    findings.add(rootfs(p));
    findings.add(mac(p.mac()));
    findings.add(secureBoot(p));
    findings.add(tpm(p.tpm()));
    findings.add(lockdown(p.mac()));
    if (p.container().inContainer()) {
      findings.add(memoryLimit(p.container()));
      findings.add(pidsLimit(p.container()));
      findings.add(privileged(p));
    }
    findings.add(nonRoot(p));
    return List.copyOf(findings);
  }

  private static Finding rootfs(DevicePosture p) {
    String id = "rootfs.read-only";
    ContainerRuntime runtime = p.container().runtime();
    String remedy = switch (runtime) {
      case KUBERNETES -> "set securityContext.readOnlyRootFilesystem: true and mount writable volumes"
          + " only where the service writes";
      case PODMAN, DOCKER -> "run the container with --read-only and mount writable volumes only where"
          + " the service writes";
      case NONE -> "use an image-based root (squashfs/erofs, ostree, Ubuntu Core) or mount / ro and"
          + " keep state on a separate writable partition";
    };
    if (p.rootFilesystem() instanceof Availability.Unavailable<RootFilesystem> u) {
      return new Finding(id, FindingStatus.UNKNOWN, u.reason(), "read /proc/self/mountinfo: " + remedy);
    }
    RootFilesystem fs = p.rootFilesystem().orElseThrow();
    String what = "/ is " + fs.type() + " from " + fs.source() + ", mounted " + (fs.readOnly() ? "ro" : "rw");
    if (fs.readOnly()) {
      return new Finding(id, FindingStatus.PASS, what, "keep / read-only; write state to dedicated volumes");
    }
    if (fs.usrReadOnly().orElse(false)) {
      return new Finding(id, FindingStatus.PASS, what + "; /usr is a separate read-only mount (ostree"
          + " layout: the OS tree is immutable)", "keep /usr read-only; update through the image tool");
    }
    return new Finding(id, FindingStatus.WARN, what + ": the OS can be changed by any process with write"
        + " access", remedy);
  }

  private static Finding mac(MandatoryAccessControl mac) {
    String id = "mac.enforcing";
    String label = mac.processLabel().map(l -> "; this process runs as " + l).orElse("");
    if (mac.selinux().toOptional().filter(m -> m == SelinuxMode.ENFORCING).isPresent()) {
      return new Finding(id, FindingStatus.PASS, "SELinux is enforcing (/sys/fs/selinux/enforce = 1)" + label,
          "keep SELINUX=enforcing in /etc/selinux/config");
    }
    if (mac.apparmor()) {
      String lsms = mac.lsms().toOptional().map(l -> " (LSMs: " + String.join(",", l) + ")").orElse("");
      if (mac.processLabel().filter(l -> l.endsWith("(enforce)")).isPresent()) {
        return new Finding(id, FindingStatus.PASS, "AppArmor confines this process" + label + lsms,
            "keep the AppArmor profile in enforce mode");
      }
      if (mac.apparmorProfiles() instanceof Availability.Available<Integer> a) {
        return a.value() > 0
            ? new Finding(id, FindingStatus.PASS, "AppArmor is enabled with " + a.value()
                + " profiles loaded" + label + lsms, "keep the profiles in enforce mode (aa-status)")
            : new Finding(id, FindingStatus.WARN, "AppArmor is enabled but no profile is loaded" + label,
                "load profiles for the services (apparmor_parser, or the snap/container runtime's profile)");
      }
      return new Finding(id, FindingStatus.UNKNOWN, "AppArmor is enabled, but the loaded profiles are not"
          + " known: " + ((Availability.Unavailable<Integer>) mac.apparmorProfiles()).reason() + label,
          "run the report as root, or check with aa-status that the services' profiles are enforced");
    }
    if (mac.selinux().toOptional().filter(m -> m == SelinuxMode.PERMISSIVE).isPresent()) {
      return new Finding(id, FindingStatus.WARN, "SELinux is permissive (/sys/fs/selinux/enforce = 0):"
          + " denials are only logged" + label, "set SELINUX=enforcing in /etc/selinux/config (setenforce 1 now)");
    }
    if (mac.selinux() instanceof Availability.Unavailable<SelinuxMode> u) {
      return new Finding(id, FindingStatus.UNKNOWN, u.reason(), "check the SELinux state with getenforce");
    }
    if (mac.processLabel().filter(l -> l.matches("[^:\\s]+:[^:\\s]+:[^:\\s]+(:.*)?")).isPresent()) {
      return new Finding(id, FindingStatus.UNKNOWN, "SELinux labels this process " + mac.processLabel().get()
          + ", so the host runs SELinux, but /sys/fs/selinux is hidden here and enforcing cannot be told"
          + " from permissive", "check getenforce on the host; keep SELINUX=enforcing there");
    }
    return new Finding(id, FindingStatus.FAIL, "no mandatory access control: no selinuxfs and AppArmor is"
        + " not enabled" + label, "enable SELinux or AppArmor (security=apparmor or lsm=... on the kernel"
        + " command line) and load profiles for the services");
  }

  private static Finding secureBoot(DevicePosture p) {
    String id = "secure-boot";
    return switch (p.secureBoot().state()) {
      case ENABLED -> new Finding(id, FindingStatus.PASS, p.secureBoot().detail(),
          "keep the signing keys off the device and enroll only your own (mokutil --list-enrolled)");
      case DISABLED -> new Finding(id, FindingStatus.FAIL, p.secureBoot().detail()
          + ": firmware boots unsigned code", "enable Secure Boot in the UEFI setup and sign the boot"
          + " chain (shim, GRUB or systemd-boot, kernel)");
      case UNKNOWN -> new Finding(id, FindingStatus.UNKNOWN, p.secureBoot().detail(),
          "on UEFI devices mount efivarfs to check; on U-Boot devices verify the vendor's verified boot"
          + " (FIT signatures, HAB/AHAB, Raspberry Pi secure boot) separately");
    };
  }

  private static Finding tpm(Tpm tpm) {
    String id = "tpm";
    if (!tpm.present()) {
      return new Finding(id, FindingStatus.WARN, "no TPM: " + tpm.detail(),
          "fit a TPM 2.0 (discrete or firmware fTPM) to seal keys and measure boot, or use the SoC's"
          + " secure element");
    }
    if (tpm.version().isEmpty()) {
      return new Finding(id, FindingStatus.UNKNOWN, "TPM present, version unknown: " + tpm.detail(),
          "check the TPM version with tpm2_getcap properties-fixed");
    }
    if (tpm.version().getAsInt() == 2) {
      return new Finding(id, FindingStatus.PASS, "TPM 2.0: " + tpm.detail(),
          "seal keys to PCRs and keep the TPM owned by the platform");
    }
    return new Finding(id, FindingStatus.WARN, "TPM 1.2 (SHA-1 only): " + tpm.detail(),
        "replace with a TPM 2.0 where the hardware allows");
  }

  private static Finding lockdown(MandatoryAccessControl mac) {
    String id = "kernel.lockdown";
    if (mac.lockdown() instanceof Availability.Unavailable<LockdownMode> u) {
      return new Finding(id, FindingStatus.UNKNOWN, u.reason(),
          "mount securityfs and read /sys/kernel/security/lockdown");
    }
    LockdownMode mode = mac.lockdown().orElseThrow();
    if (mode == LockdownMode.NONE) {
      return new Finding(id, FindingStatus.WARN, "kernel lockdown is none: root can modify the running"
          + " kernel (unsigned modules, /dev/mem, kexec)", "boot with lockdown=integrity (automatic with"
          + " Secure Boot on many distributions) and a kernel built with CONFIG_SECURITY_LOCKDOWN_LSM");
    }
    return new Finding(id, FindingStatus.PASS, "kernel lockdown is " + mode.name().toLowerCase(java.util.Locale.ROOT),
        "keep lockdown= on the kernel command line");
  }

  private static Finding memoryLimit(Container c) {
    String id = "container.memory-limit";
    String where = c.limits().cgroup().toOptional().map(w -> " (cgroup " + w + ")").orElse("");
    Limit<Long> max = c.limits().memoryMax();
    if (max instanceof Limit.Limited<Long> l) {
      return new Finding(id, FindingStatus.PASS, "memory limited to " + l.value() + " bytes: " + l.source(),
          "keep the limit above the service's peak use");
    }
    if (max instanceof Limit.Unlimited<Long> u) {
      return new Finding(id, FindingStatus.FAIL, "running in a " + name(c.runtime())
          + " container without a memory limit: " + u.source() + where
          + "; a leak can exhaust the device's memory", remedyMemory(c.runtime()));
    }
    return new Finding(id, FindingStatus.UNKNOWN, ((Limit.Unknown<Long>) max).reason(),
        remedyMemory(c.runtime()));
  }

  private static Finding pidsLimit(Container c) {
    String id = "container.pids-limit";
    Limit<Long> max = c.limits().pidsMax();
    String remedy = switch (c.runtime()) {
      case KUBERNETES -> "set the kubelet's podPidsLimit (K3s: --kubelet-arg=pod-max-pids=N)";
      default -> "run the container with --pids-limit N";
    };
    if (max instanceof Limit.Limited<Long> l) {
      return new Finding(id, FindingStatus.PASS, "tasks limited to " + l.value() + ": " + l.source(),
          "keep the limit");
    }
    if (max instanceof Limit.Unlimited<Long> u) {
      return new Finding(id, FindingStatus.WARN, "no task limit: " + u.source()
          + "; a fork bomb can exhaust the host's PIDs", remedy);
    }
    return new Finding(id, FindingStatus.UNKNOWN, ((Limit.Unknown<Long>) max).reason(), remedy);
  }

  private static Finding privileged(DevicePosture p) {
    String id = "container.privileged";
    String remedy = p.container().runtime() == ContainerRuntime.KUBERNETES
        ? "drop privileged: true and add only the capabilities needed (securityContext.capabilities)"
        : "drop --privileged and add only the capabilities needed (--cap-add)";
    if (p.privileges() instanceof Availability.Unavailable<ProcessPrivileges> u) {
      return new Finding(id, FindingStatus.UNKNOWN, u.reason(), remedy);
    }
    ProcessPrivileges priv = p.privileges().orElseThrow();
    String caps = "CapEff = " + String.format("%016x", priv.effectiveCapabilities());
    return priv.allCapabilities()
        ? new Finding(id, FindingStatus.FAIL, "the container holds every capability (" + caps
            + "): it is privileged and can take over the host", remedy)
        : new Finding(id, FindingStatus.PASS, "the container holds a reduced capability set (" + caps + ")",
            "keep capabilities to the minimum the service needs");
  }

  private static Finding nonRoot(DevicePosture p) {
    String id = "process.non-root";
    if (p.privileges() instanceof Availability.Unavailable<ProcessPrivileges> u) {
      return new Finding(id, FindingStatus.UNKNOWN, u.reason(), "run the service as a dedicated user");
    }
    long uid = p.privileges().orElseThrow().uid();
    return uid == 0
        ? new Finding(id, FindingStatus.WARN, "the process runs as root (uid 0)",
            "run the service as a dedicated user (User= in the unit, USER in the image, runAsNonRoot)"
            + " with only the capabilities it needs")
        : new Finding(id, FindingStatus.PASS, "the process runs as uid " + uid,
            "keep the service on a dedicated user");
  }

  private static String name(ContainerRuntime runtime) {
    return switch (runtime) {
      case KUBERNETES -> "Kubernetes";
      case PODMAN -> "Podman";
      case DOCKER -> "Docker";
      case NONE -> "no";
    };
  }

  private static String remedyMemory(ContainerRuntime runtime) {
    return runtime == ContainerRuntime.KUBERNETES
        ? "set resources.limits.memory on the container"
        : "run the container with --memory (and --memory-reservation)";
  }
}
