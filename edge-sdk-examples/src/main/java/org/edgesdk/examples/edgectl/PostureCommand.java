package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgesdk.api.Availability;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.kernel.KernelPreemption;
import org.edgesdk.linux.posture.CgroupLimits;
import org.edgesdk.linux.posture.Container;
import org.edgesdk.linux.posture.DevicePosture;
import org.edgesdk.linux.posture.Finding;
import org.edgesdk.linux.posture.FindingStatus;
import org.edgesdk.linux.posture.Limit;
import org.edgesdk.linux.posture.MandatoryAccessControl;
import org.edgesdk.linux.posture.OsIdentity;
import org.edgesdk.linux.posture.ProcessEnvironment;
import org.edgesdk.linux.posture.RootFilesystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgectl posture}: how the device is hardened and what resources the process's container
 * has, with a finding per hardening check.
 *
 * <p>JSON: {@code {"os": {"id", "versionId", "variantId", "name"}, "kernel": {"release",
 * "preemptModel"}, "rootfs": {"type", "readOnly"}, "mac": {"selinux", "apparmor", "lsm", "lockdown"},
 * "secureBoot", "tpm": {"present", "version"}, "fips", "container": {"runtime", "cpuLimitCores",
 * "memoryLimitBytes", "pidsLimit", "cpuset"}, "findings": [{"id", "status", "detail", "remedy"}]}};
 * a value that cannot be read is null and the matching finding says why.
 */
@Command(
    name = "posture",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Report the device's hardening (read-only root, SELinux/AppArmor, lockdown, Secure Boot, TPM,"
            + " FIPS) and the container's cgroup limits, with a finding per check.",
        "Exit code 0 when the report was produced (whatever the findings, unless --fail-on is given),"
            + " 1 when a finding reaches --fail-on, 2 on a usage error."})
final class PostureCommand implements Callable<Integer> {

  /** Exit policy: which finding status makes the command fail. */
  enum FailOn {
    /** Never fail because of findings. */
    never,
    /** Fail when a finding is {@code fail}. */
    fail,
    /** Fail when a finding is {@code fail} or {@code warn}. */
    warn
  }

  @Mixin RootOption root;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Option(
      names = "--env-from-process",
      description = "Take the container markers' environment (KUBERNETES_SERVICE_HOST, container) from"
          + " this process even with --root. Default: this process's environment without --root; with"
          + " --root, DIR/proc/self/environ if present, else none.")
  boolean envFromProcess;

  @Option(
      names = "--env",
      paramLabel = "NAME=VALUE",
      description = "Set a variable of the environment the report sees (repeatable); applied last.")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--fail-on",
      paramLabel = "LEVEL",
      description = "Exit with 1 when a finding reaches LEVEL: ${COMPLETION-CANDIDATES}. Default: never.")
  FailOn failOn = FailOn.never;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, String> environment = new HashMap<>(environmentFor(root.root(), envFromProcess));
    for (String entry : env) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--env " + entry + " is not NAME=VALUE");
      }
      environment.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    DevicePosture posture = DevicePosture.read(root.root(), environment);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, toJson(posture));
    } else {
      printText(posture, out);
    }
    List<Finding> failing = new ArrayList<>(posture.findings(FindingStatus.FAIL));
    if (failOn == FailOn.warn) {
      failing.addAll(posture.findings(FindingStatus.WARN));
    }
    if (failOn != FailOn.never && !failing.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("edgectl: error: posture check failed: " + failing.size() + " finding(s) at "
          + failOn + " or worse (" + String.join(", ", failing.stream().map(Finding::id).toList())
          + "); fix: apply the remedies in the report, or relax --fail-on");
      err.flush();
      return Edgectl.EXIT_FAILED;
    }
    return Edgectl.EXIT_OK;
  }

  /**
   * Returns the environment the report should see for {@code root}: this process's for the live
   * system or when asked, otherwise the root's {@code /proc/self/environ}, otherwise none.
   */
  static Map<String, String> environmentFor(HostRoot root, boolean fromProcess) {
    if (root.isSystem() || fromProcess) {
      return System.getenv();
    }
    return ProcessEnvironment.read(root).orElse(Map.of());
  }

  static ObjectNode toJson(DevicePosture p) {
    ObjectNode node = Json.object();
    ObjectNode os = node.putObject("os");
    OsIdentity id = p.os().toOptional().orElse(null);
    os.put("id", id == null ? null : id.id());
    os.put("versionId", id == null ? null : id.versionId().orElse(null));
    os.put("variantId", id == null ? null : id.variantId().orElse(null));
    os.put("name", id == null ? null : id.name().orElse(null));

    ObjectNode kernel = node.putObject("kernel");
    kernel.put("release", p.kernelRelease().toOptional().orElse(null));
    kernel.put("preemptModel", p.preemption().toOptional().map(k -> k.model().name()).orElse(null));

    ObjectNode rootfs = node.putObject("rootfs");
    RootFilesystem fs = p.rootFilesystem().toOptional().orElse(null);
    rootfs.put("type", fs == null ? null : fs.type());
    if (fs == null) {
      rootfs.putNull("readOnly");
    } else {
      rootfs.put("readOnly", fs.readOnly());
    }

    MandatoryAccessControl mac = p.mac();
    ObjectNode macNode = node.putObject("mac");
    macNode.put("selinux", mac.selinux().toOptional().map(PostureCommand::lower).orElse(null));
    macNode.put("apparmor", mac.apparmor());
    if (mac.lsms().toOptional().isPresent()) {
      ArrayNode lsm = macNode.putArray("lsm");
      mac.lsms().orElseThrow().forEach(lsm::add);
    } else {
      macNode.putNull("lsm");
    }
    macNode.put("lockdown", mac.lockdown().toOptional().map(PostureCommand::lower).orElse(null));

    node.put("secureBoot", lower(p.secureBoot().state()));
    ObjectNode tpm = node.putObject("tpm");
    tpm.put("present", p.tpm().present());
    if (p.tpm().version().isPresent()) {
      tpm.put("version", p.tpm().version().getAsInt());
    } else {
      tpm.putNull("version");
    }
    if (p.fips().isAvailable()) {
      node.put("fips", p.fips().orElseThrow());
    } else {
      node.putNull("fips");
    }

    Container c = p.container();
    CgroupLimits limits = c.limits();
    ObjectNode container = node.putObject("container");
    container.put("runtime", lower(c.runtime()));
    container.put("cpuLimitCores", limits.cpuCores().toOptional().orElse(null));
    container.put("memoryLimitBytes", limits.memoryMax().toOptional().orElse(null));
    container.put("pidsLimit", limits.pidsMax().toOptional().orElse(null));
    if (limits.cpuset().isAvailable()) {
      ArrayNode cpus = container.putArray("cpuset");
      limits.cpuset().orElseThrow().stream().forEach(cpus::add);
    } else {
      container.putNull("cpuset");
    }

    ArrayNode findings = node.putArray("findings");
    for (Finding f : p.findings()) {
      ObjectNode finding = findings.addObject();
      finding.put("id", f.id());
      finding.put("status", lower(f.status()));
      finding.put("detail", f.detail());
      finding.put("remedy", f.remedy());
    }
    return node;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  static <T> String text(Availability<T> value) {
    return value instanceof Availability.Unavailable<T> u
        ? "unknown (" + u.reason() + ")"
        : String.valueOf(value.orElseThrow());
  }

  static String limit(Limit<?> limit, String unit) {
    if (limit instanceof Limit.Limited<?> l) {
      return l.value() + unit;
    }
    if (limit instanceof Limit.Unlimited<?>) {
      return "no limit";
    }
    return "unknown (" + ((Limit.Unknown<?>) limit).reason() + ")";
  }

  static void printText(DevicePosture p, PrintWriter out) {
    out.println("root          " + p.root().path());
    out.println("os            " + text(p.os().map(os -> os.prettyName().or(os::name).orElse(os.id())
        + " [" + os.distribution() + (os.ostree() ? ", ostree" : "") + "]")));
    out.println("kernel        " + text(p.kernelRelease()) + ", "
        + text(p.preemption().map(PostureCommand::preemption)));
    out.println("rootfs        " + text(p.rootFilesystem().map(fs -> fs.type() + " from " + fs.source()
        + (fs.readOnly() ? ", read-only" : ", read-write")
        + fs.usrReadOnly().map(u -> u ? ", /usr read-only" : ", /usr read-write").orElse(""))));
    MandatoryAccessControl mac = p.mac();
    out.println("selinux       " + text(mac.selinux().map(PostureCommand::lower)));
    out.println("apparmor      " + (mac.apparmor()
        ? "enabled, profiles: " + text(mac.apparmorProfiles()) : "not enabled"));
    out.println("lsm           " + text(mac.lsms().map(l -> String.join(",", l))));
    out.println("lockdown      " + text(mac.lockdown().map(PostureCommand::lower)));
    out.println("secure boot   " + lower(p.secureBoot().state()) + " (" + p.secureBoot().detail() + ")");
    out.println("tpm           " + (p.tpm().present()
        ? "present, version " + (p.tpm().version().isPresent() ? p.tpm().version().getAsInt() : "unknown")
        : "none") + " (" + p.tpm().detail() + ")");
    out.println("fips          " + text(p.fips()));
    Container c = p.container();
    out.println("container     " + lower(c.runtime()) + (c.evidence().isEmpty() ? ""
        : " (" + String.join("; ", c.evidence().stream().map(e -> e.source() + ": " + e.value()).toList()) + ")"));
    CgroupLimits l = c.limits();
    out.println("cgroup        " + text(l.cgroup()));
    // neutral labels: the evidence names the file read (cgroup v2 or v1)
    out.println("  cpu         " + limit(l.cpuCores(), " cores"));
    out.println("  memory max  " + limit(l.memoryMax(), " bytes"));
    out.println("  memory high " + limit(l.memoryHigh(), " bytes"));
    out.println("  pids max    " + limit(l.pidsMax(), ""));
    out.println("  cpuset      " + text(l.cpuset()));
    out.println("findings");
    for (Finding f : p.findings()) {
      out.printf("  %-7s %-22s %s%n", f.status(), f.id(), f.detail());
      if (f.status() != FindingStatus.PASS) {
        out.printf("  %-7s %-22s fix: %s%n", "", "", f.remedy());
      }
    }
    out.flush();
  }

  static String preemption(KernelPreemption k) {
    return k.model() + k.dynamicMode().map(m -> " (" + m + ")").orElse("");
  }
}
