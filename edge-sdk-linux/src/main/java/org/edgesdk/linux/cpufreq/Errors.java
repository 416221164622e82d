package org.edgesdk.linux.cpufreq;

import java.util.Locale;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.cpufreq.internal.WriteFailure;

/** Turns the kernel's answers into errors that name the problem and the fix. */
final class Errors {
  private Errors() {}

  static EdgeException writeRefused(Policy p, Write write, WriteFailure failure, String undo) {
    String file = failure.file().toString();
    String what = "cannot write '" + write.value() + "' to " + file;
    String tail = "; " + undo;
    switch (failure.errno()) {
      case EACCES:
        return new EdgeException(ErrorCode.PERMISSION_DENIED,
            what + ": permission denied (EACCES)" + tail,
            "cpufreq files belong to root with mode 0644: run as root (or with CAP_DAC_OVERRIDE), or let"
                + " the service's group write " + write.attribute() + " with a udev rule or systemd-tmpfiles"
                + " line (z " + file + " 0664 root <group>)",
            failure);
      case EPERM:
        return new EdgeException(ErrorCode.PERMISSION_DENIED,
            what + ": operation not permitted (EPERM)" + tail,
            "a missing capability or a security module (SELinux, AppArmor) refused the write: run as root"
                + " outside a confining profile, or allow writes to /sys/devices/system/cpu/cpufreq in it",
            failure);
      case EROFS:
        return new EdgeException(ErrorCode.PERMISSION_DENIED,
            what + ": sysfs is mounted read-only (EROFS)" + tail,
            "containers mount /sys read-only: run the container privileged, or bind-mount"
                + " /sys/devices/system/cpu/cpufreq read-write into it",
            failure);
      case EBUSY:
        if (Write.EPP.equals(write.attribute())) {
          return new EdgeException(ErrorCode.BUSY,
              what + ": the kernel answered EBUSY because " + p.driver() + " accepts only EPP 'performance'"
                  + " while the governor is 'performance'" + tail,
              "set the governor to powersave first (in the same change: the governor is written before"
                  + " EPP), or ask for EPP 'performance'",
              failure);
        }
        return new EdgeException(ErrorCode.BUSY,
            what + ": the driver is busy (EBUSY)" + tail,
            "retry later; if it persists, check that no other power daemon (power-profiles-daemon, tuned,"
                + " TLP) is changing " + p.name() + " at the same time",
            failure);
      case EINVAL:
        return new EdgeException(ErrorCode.INVALID_ARGUMENT,
            what + ": the kernel refused the value (EINVAL)" + tail, einvalRemedy(p, write), failure);
      case ENOENT:
        return new EdgeException(ErrorCode.NOT_FOUND,
            what + ": the file does not exist (the driver does not offer " + write.attribute()
                + ", or the CPUs went offline)" + tail,
            "read the policy again and change only what it offers",
            failure);
      default:
        return new EdgeException(ErrorCode.IO_ERROR,
            what + ": " + failure.getMessage() + tail,
            "retry; sysfs writes fail while a CPU is being hot-plugged or the driver reloads",
            failure);
    }
  }

  private static String einvalRemedy(Policy p, Write write) {
    switch (write.attribute()) {
      case Write.GOVERNOR:
        return "the governor must be one of: " + String.join(", ", p.availableGovernors())
            + " (its module may have been unloaded since the check)";
      case Write.MIN:
      case Write.MAX:
        return "keep scaling_min_freq <= scaling_max_freq inside " + p.cpuinfoMinKHz() + ".."
            + p.cpuinfoMaxKHz() + " kHz; another process may have changed the limits meanwhile";
      case Write.SETSPEED:
        return "select the userspace governor first; another process may have changed it meanwhile";
      case Write.EPP:
        return "choose one of " + String.join(", ",
            p.availableEnergyPerformancePreferences().toOptional().orElse(java.util.List.of()));
      default:
        return "check the value against the policy's limits";
    }
  }

  static String notEffectiveNote(HostRoot root, Policy p, Write write, String effective) {
    boolean limit = Write.MIN.equals(write.attribute()) || Write.MAX.equals(write.attribute());
    if (limit && p.driver().startsWith("amd-pstate-epp")) {
      return "amd-pstate-epp in active mode accepts scaling_min/max_freq writes but ignores them (the"
          + " firmware picks the frequency from the EPP hint); to enforce limits switch to passive or"
          + " guided mode: echo passive > /sys/devices/system/cpu/amd_pstate/status";
    }
    return "the kernel accepted '" + write.value() + "' but reads back '" + effective + "': the driver"
        + " rounds or clamps the request, or another process (a power daemon) changed it";
  }

  static String floorExplanation(HostRoot root, int runningKHz) {
    String model = Sysfs.text(root.resolve("/sys/firmware/devicetree/base/model"))
        .or(() -> Sysfs.text(root.resolve("/proc/device-tree/model")))
        .orElse("")
        .replace("\0", "");
    if (model.toLowerCase(Locale.ROOT).contains("raspberry pi 5")) {
      return "the " + model + " firmware does not clock the CPU below 1.5 GHz: it accepts lower limits and"
          + " keeps running at its floor, so limits below 1500000 kHz save nothing";
    }
    return "the firmware or clock driver does not follow the limit (a floor or boost outside cpufreq's"
        + " control); the limit is not effective at " + runningKHz + " kHz";
  }
}
