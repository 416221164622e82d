package org.edgesdk.examples.edgectl;

import java.io.PrintWriter;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.cpufreq.AppliedChange;
import org.edgesdk.linux.cpufreq.CpuFreq;
import org.edgesdk.linux.cpufreq.PolicyChange;
import org.edgesdk.linux.cpufreq.SettingResult;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgectl cpufreq set}: one transaction on one policy. Every value is validated before any
 * file is touched; the output shows requested versus effective values; a value the kernel accepted
 * but does not follow makes the command fail with {@code NOT_APPLIED} after printing the table.
 */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Change one policy as a transaction: validate all values, write in the kernel's order,"
        + " read back and print requested versus effective. Needs root on a real device.")
final class CpuFreqSetCommand implements Runnable {
  @Mixin RootOption root;

  @Option(names = "--policy", required = true, paramLabel = "N",
      description = "The policy to change (policyN; N is its first CPU).")
  int policy;

  @Option(names = "--governor", paramLabel = "G", description = "The governor, e.g. performance or schedutil.")
  @Nullable String governor;

  @Option(names = "--min", paramLabel = "KHZ", description = "The lower frequency limit in kHz.")
  @Nullable Integer min;

  @Option(names = "--max", paramLabel = "KHZ", description = "The upper frequency limit in kHz.")
  @Nullable Integer max;

  @Option(names = "--epp", paramLabel = "P",
      description = "The energy-performance preference (intel_pstate active, amd-pstate-epp).")
  @Nullable String epp;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand CpuFreqCommand parent;

  @Override
  public void run() {
    if (governor == null && min == null && max == null && epp == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "nothing to set: give at least one of --governor, --min, --max, --epp");
    }
    if (policy < 0 || (min != null && min <= 0) || (max != null && max <= 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--policy must be 0 or more and --min/--max positive frequencies in kHz");
    }
    PolicyChange change = CpuFreq.of(hostRoot()).change(policy);
    if (governor != null) {
      change.governor(governor);
    }
    if (min != null) {
      change.minKHz(min);
    }
    if (max != null) {
      change.maxKHz(max);
    }
    if (epp != null) {
      change.energyPerformancePreference(epp);
    }
    AppliedChange applied = change.apply();
    PrintWriter out = spec.commandLine().getOut();
    out.println("policy" + applied.policyId() + ": applied");
    out.printf("  %-31s %-21s %-21s %s%n", "attribute", "before", "requested", "effective");
    for (SettingResult s : applied.settings()) {
      out.printf("  %-31s %-21s %-21s %s%n", s.attribute(), s.previous(), s.requested(),
          s.effective() + (s.isEffective() ? "" : "  NOT EFFECTIVE"));
      s.note().ifPresent(n -> out.println("    note: " + n));
    }
    applied.hardwareKHz().toOptional().ifPresent(k -> out.println("  hardware frequency now " + k + " kHz"));
    applied.frequencyWarning().ifPresent(w -> out.println("  note: " + w));
    out.flush();
    applied.requireEffective();
  }

  /**
   * The root given to {@code set}, or else the one given to {@code cpufreq} before it: {@code edgectl
   * cpufreq --root DIR set ...} must write below DIR, never silently to this machine.
   */
  private HostRoot hostRoot() {
    HostRoot own = root.root();
    HostRoot inherited = parent == null ? HostRoot.system() : parent.root.root();
    if (own.isSystem()) {
      return inherited;
    }
    if (!inherited.isSystem() && !inherited.equals(own)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--root is given twice with different directories (" + inherited.path() + " and " + own.path() + ")");
    }
    return own;
  }
}
