package org.edgesdk.linux.posture.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgesdk.api.Availability;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.HostInfo;
import org.edgesdk.linux.kernel.KernelPreemption;
import org.edgesdk.linux.posture.CgroupLimits;
import org.edgesdk.linux.posture.Container;
import org.edgesdk.linux.posture.DevicePosture;
import org.edgesdk.linux.posture.Limit;
import org.edgesdk.linux.posture.LockdownMode;
import org.edgesdk.linux.posture.MandatoryAccessControl;
import org.edgesdk.linux.posture.OsIdentity;
import org.edgesdk.linux.posture.ProcessPrivileges;
import org.edgesdk.linux.posture.RootFilesystem;
import org.edgesdk.linux.posture.SecureBoot;
import org.edgesdk.linux.posture.SecureBootState;
import org.edgesdk.linux.posture.SelinuxMode;
import org.edgesdk.linux.posture.Tpm;

/** Reads every part of a {@link DevicePosture}; each part that cannot be read is unknown with the reason. */
public final class PostureReader {
  private static final Pattern LOCKDOWN = Pattern.compile("\\[(\\w+)\\]");
  private static final String SECURITYFS = "/sys/kernel/security";

  private final HostRoot root;
  private final Probe mountinfo;
  private final Optional<MountTable> mounts;

  private PostureReader(HostRoot root) {
    this.root = root;
    this.mountinfo = Probe.read(root, "/proc/self/mountinfo");
    this.mounts = Optional.ofNullable(mountinfo.text()).map(MountTable::parse);
  }

  /**
   * Reads the posture below {@code root}.
   *
   * @param root the directory standing in for {@code /}
   * @param environment the process environment
   * @return the posture with its findings
   */
  public static DevicePosture read(HostRoot root, Map<String, String> environment) {
    PostureReader reader = new PostureReader(root);
    Probe cgroupFile = Probe.read(root, "/proc/self/cgroup");
    ContainerDetector.Result detected =
        guard(() -> ContainerDetector.detect(root, environment, cgroupFile, reader.mounts),
            reason -> new ContainerDetector.Result(
                org.edgesdk.linux.posture.ContainerRuntime.NONE,
                List.of(new org.edgesdk.linux.kernel.Evidence("container detection", reason))));
    CgroupLimits limits = guard(() -> CgroupReader.read(root, cgroupFile, reader.mounts),
        reason -> new CgroupLimits(Availability.unavailable(reason), new Limit.Unknown<>(reason),
            new Limit.Unknown<>(reason), new Limit.Unknown<>(reason), new Limit.Unknown<>(reason),
            Availability.unavailable(reason)));
    DevicePosture facts = new DevicePosture(
        root,
        guard(reader::os, Availability::unavailable),
        guard(() -> HostInfo.read(root).kernelRelease(), Availability::unavailable),
        guard(() -> Availability.of(KernelPreemption.read(root)), Availability::unavailable),
        guard(reader::rootFilesystem, Availability::unavailable),
        guard(reader::mac, reason -> new MandatoryAccessControl(Availability.unavailable(reason), false,
            Availability.unavailable(reason), Availability.unavailable(reason),
            Availability.unavailable(reason), Optional.empty())),
        guard(reader::secureBoot, reason -> new SecureBoot(SecureBootState.UNKNOWN, reason)),
        guard(reader::tpm, reason -> new Tpm(false, OptionalInt.empty(), reason)),
        guard(reader::fips, Availability::unavailable),
        new Container(detected.runtime(), detected.evidence(), limits),
        guard(reader::privileges, Availability::unavailable),
        List.of());
    return new DevicePosture(facts.root(), facts.os(), facts.kernelRelease(), facts.preemption(),
        facts.rootFilesystem(), facts.mac(), facts.secureBoot(), facts.tpm(), facts.fips(),
        facts.container(), facts.privileges(), Checks.evaluate(facts));
  }

  private static <T> T guard(Supplier<T> read, java.util.function.Function<String, T> onFailure) {
    try {
      return read.get();
    } catch (EdgeException e) {
      return onFailure.apply(e.problem());
    } catch (RuntimeException e) {
      // A file below the root that no kernel writes (a path escaping the root, a bad symlink): the
      // value is unknown, the report goes on.
      return onFailure.apply("cannot be read: " + e.getMessage());
    }
  }

  Availability<OsIdentity> os() {
    Probe etc = Probe.read(root, "/etc/os-release");
    Probe file = etc.present() ? etc : Probe.read(root, "/usr/lib/os-release");
    if (!file.present()) {
      return Availability.unavailable(etc.missing() && file.missing()
          ? "/etc/os-release and /usr/lib/os-release are missing"
          : (etc.failure() != null ? etc.failure() : file.whyUnknown()));
    }
    Map<String, String> vars = OsIdentity.parseVariables(String.valueOf(file.text()));
    if (vars.isEmpty()) {
      return Availability.unavailable(file.path() + " holds no KEY=value line");
    }
    return Availability.of(OsIdentity.of(vars, Probe.exists(root, "/run/ostree-booted")));
  }

  Availability<RootFilesystem> rootFilesystem() {
    if (mounts.isEmpty()) {
      return Availability.unavailable(mountinfo.whyUnknown());
    }
    Optional<MountTable.Mount> slash = mounts.get().at("/");
    if (slash.isEmpty()) {
      return Availability.unavailable("/proc/self/mountinfo lists no mount at /"
          + (mounts.get().malformed().isEmpty() ? ""
              : " (" + mounts.get().malformed().size() + " malformed lines, first: '"
                  + mounts.get().malformed().get(0) + "')"));
    }
    MountTable.Mount m = slash.get();
    Optional<Boolean> usr = mounts.get().at("/usr").map(MountTable.Mount::readOnly);
    return Availability.of(new RootFilesystem(m.fsType(), m.source(), m.readOnly(), usr));
  }

  MandatoryAccessControl mac() {
    Probe enforce = Probe.read(root, "/sys/fs/selinux/enforce");
    Availability<SelinuxMode> selinux;
    if (enforce.missing()) {
      selinux = Availability.of(SelinuxMode.DISABLED);
    } else if (enforce.failure() != null) {
      selinux = Availability.unavailable(String.valueOf(enforce.failure()));
    } else {
      String v = enforce.trimmed().orElse("");
      selinux = v.equals("1") ? Availability.of(SelinuxMode.ENFORCING)
          : v.equals("0") ? Availability.of(SelinuxMode.PERMISSIVE)
          : Availability.unavailable("/sys/fs/selinux/enforce reads '" + v + "', expected 1 or 0");
    }

    boolean apparmor = Probe.read(root, "/sys/module/apparmor/parameters/enabled").trimmed()
        .filter(v -> v.equals("Y")).isPresent();
    boolean securityfs = securityfsMounted();
    Availability<Integer> profiles;
    if (!apparmor) {
      profiles = Availability.unavailable("AppArmor is not enabled");
    } else {
      Probe list = Probe.read(root, SECURITYFS + "/apparmor/profiles");
      profiles = list.present()
          ? Availability.of((int) Arrays.stream(String.valueOf(list.text()).split("\n"))
              .filter(l -> !l.isBlank()).count())
          : Availability.unavailable(list.failure() != null
              ? list.failure() + " (the AppArmor profile list needs root)"
              : securityfs ? list.path() + " is missing" : securityfsReason());
    }

    Probe lsm = Probe.read(root, SECURITYFS + "/lsm");
    Availability<List<String>> lsms;
    if (lsm.present()) {
      List<String> names = new ArrayList<>();
      for (String name : lsm.trimmed().orElse("").split(",")) {
        if (!name.isBlank()) {
          names.add(name.strip());
        }
      }
      lsms = Availability.of(names);
    } else {
      lsms = Availability.unavailable(lsm.failure() != null ? String.valueOf(lsm.failure())
          : securityfs ? lsm.path() + " is missing (kernels before 4.15 do not list LSMs)"
          : securityfsReason());
    }

    Probe lockdownFile = Probe.read(root, SECURITYFS + "/lockdown");
    Availability<LockdownMode> lockdown;
    if (lockdownFile.present()) {
      Matcher m = LOCKDOWN.matcher(lockdownFile.trimmed().orElse(""));
      Optional<LockdownMode> mode = Optional.empty();
      if (m.find()) {
        mode = Arrays.stream(LockdownMode.values())
            .filter(v -> v.name().equalsIgnoreCase(m.group(1))).findFirst();
      }
      lockdown = mode.map(Availability::of).orElseGet(() -> Availability.unavailable(
          lockdownFile.path() + " reads '" + lockdownFile.trimmed().orElse("")
              + "', expected the active mode in brackets, as in '[none] integrity confidentiality'"));
    } else if (lockdownFile.failure() != null) {
      lockdown = Availability.unavailable(String.valueOf(lockdownFile.failure()));
    } else if (securityfs) {
      // securityfs is there but the lockdown LSM is not built in: nothing locks the kernel down.
      lockdown = Availability.of(LockdownMode.NONE);
    } else {
      lockdown = Availability.unavailable(securityfsReason());
    }

    Optional<String> label = Probe.read(root, "/proc/self/attr/current").trimmed()
        .map(s -> s.replace("\0", "").strip()).filter(s -> !s.isEmpty());
    return new MandatoryAccessControl(selinux, apparmor, profiles, lsms, lockdown, label);
  }

  private boolean securityfsMounted() {
    return mounts.flatMap(t -> t.at(SECURITYFS)).filter(m -> m.fsType().equals("securityfs")).isPresent()
        || Probe.exists(root, SECURITYFS + "/lsm");
  }

  private String securityfsReason() {
    return "securityfs is not mounted at " + SECURITYFS
        + " (mount -t securityfs securityfs " + SECURITYFS + "), so the LSM list and lockdown mode"
        + " cannot be read";
  }

  SecureBoot secureBoot() {
    Probe.BinaryProbe efivar = Probe.readBytes(root, SecureBoot.EFIVAR);
    if (efivar.bytes() != null) {
      return SecureBoot.fromEfivar(efivar.bytes());
    }
    if (efivar.failure() != null) {
      return new SecureBoot(SecureBootState.UNKNOWN, String.valueOf(efivar.failure()));
    }
    if (!Probe.isDirectory(root, "/sys/firmware/efi")) {
      return new SecureBoot(SecureBootState.UNKNOWN, "no /sys/firmware/efi: the system was not booted"
          + " through UEFI (U-Boot, legacy BIOS, a VM without OVMF) or /sys/firmware is hidden (containers)");
    }
    String legacy = "/sys/firmware/efi/vars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c/data";
    Probe.BinaryProbe old = Probe.readBytes(root, legacy);
    if (old.bytes() != null && old.bytes().length == 1 && (old.bytes()[0] == 0 || old.bytes()[0] == 1)) {
      return old.bytes()[0] == 1
          ? new SecureBoot(SecureBootState.ENABLED, legacy + " is 1")
          : new SecureBoot(SecureBootState.DISABLED, legacy + " is 0");
    }
    return new SecureBoot(SecureBootState.UNKNOWN, "UEFI system, but " + SecureBoot.EFIVAR
        + " is missing (efivarfs not mounted, or firmware without Secure Boot support)");
  }

  Tpm tpm() {
    List<String> found = new ArrayList<>();
    boolean sysfs = Probe.isDirectory(root, "/sys/class/tpm/tpm0");
    if (sysfs) {
      found.add("/sys/class/tpm/tpm0");
    }
    for (String dev : List.of("/dev/tpm0", "/dev/tpmrm0")) {
      if (Probe.exists(root, dev)) {
        found.add(dev);
      }
    }
    if (found.isEmpty()) {
      return new Tpm(false, OptionalInt.empty(),
          "no /sys/class/tpm/tpm0, /dev/tpm0 or /dev/tpmrm0");
    }
    Probe major = Probe.read(root, "/sys/class/tpm/tpm0/tpm_version_major");
    Optional<String> m = major.trimmed();
    if (m.isPresent() && m.get().matches("[12]")) {
      return new Tpm(true, OptionalInt.of(Integer.parseInt(m.get())),
          String.join(", ", found) + "; tpm_version_major = " + m.get());
    }
    if (found.contains("/dev/tpmrm0")) {
      return new Tpm(true, OptionalInt.of(2),
          String.join(", ", found) + "; /dev/tpmrm0 is the TPM 2.0 resource manager");
    }
    Optional<String> caps = Probe.read(root, "/sys/class/tpm/tpm0/caps").trimmed()
        .or(() -> Probe.read(root, "/sys/class/tpm/tpm0/device/caps").trimmed());
    if (caps.isPresent() && caps.get().contains("TCG version: 1.2")) {
      return new Tpm(true, OptionalInt.of(1), String.join(", ", found) + "; caps says TCG version: 1.2");
    }
    return new Tpm(true, OptionalInt.empty(), String.join(", ", found) + "; version not known ("
        + (m.isPresent() ? "tpm_version_major reads '" + m.get() + "'" : major.whyUnknown()) + ")");
  }

  Availability<Boolean> fips() {
    Probe fips = Probe.read(root, "/proc/sys/crypto/fips_enabled");
    if (fips.present()) {
      String v = fips.trimmed().orElse("");
      return v.equals("1") ? Availability.of(true)
          : v.equals("0") ? Availability.of(false)
          : Availability.unavailable(fips.path() + " reads '" + v + "', expected 1 or 0");
    }
    if (fips.failure() != null) {
      return Availability.unavailable(String.valueOf(fips.failure()));
    }
    if (Probe.isDirectory(root, "/proc/sys/kernel")) {
      // /proc/sys/crypto is registered only by kernels built with CONFIG_CRYPTO_FIPS.
      return Availability.of(false);
    }
    return Availability.unavailable("/proc/sys is not visible below " + root.path());
  }

  Availability<ProcessPrivileges> privileges() {
    Probe status = Probe.read(root, "/proc/self/status");
    if (!status.present()) {
      return Availability.unavailable(status.whyUnknown());
    }
    Long uid = null;
    Long capEff = null;
    for (String line : String.valueOf(status.text()).split("\n")) {
      String[] fields = line.strip().split("\\s+");
      try {
        if (fields[0].equals("Uid:")) {
          uid = Long.parseLong(fields.length >= 3 ? fields[2] : "");
        } else if (fields[0].equals("CapEff:")) {
          capEff = Long.parseUnsignedLong(fields.length >= 2 ? fields[1] : "", 16);
        }
      } catch (NumberFormatException e) {
        return Availability.unavailable("/proc/self/status has a malformed line: '" + line.strip() + "'");
      }
    }
    if (uid == null || capEff == null) {
      return Availability.unavailable("/proc/self/status lacks the "
          + (uid == null ? "Uid:" : "CapEff:") + " line");
    }
    int last = Probe.read(root, "/proc/sys/kernel/cap_last_cap").trimmed()
        .filter(s -> s.matches("\\d{1,2}")).map(Integer::parseInt).orElse(37);
    long all = last >= 63 ? -1L : (1L << (last + 1)) - 1;
    return Availability.of(new ProcessPrivileges(uid, capEff, (capEff & all) == all));
  }
}
