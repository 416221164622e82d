package org.edgesdk.linux.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.internal.KernelFiles;

/**
 * The kernel's preemption model, concluded from every source that exists below a {@link HostRoot}:
 *
 * <ol>
 *   <li>{@code /sys/kernel/realtime} ({@code 1} only with the out-of-tree PREEMPT_RT patch; mainline
 *       PREEMPT_RT since 6.12 lacks it);
 *   <li>{@code /proc/version} (the {@code uname -v} build line: {@code PREEMPT_RT},
 *       {@code PREEMPT_DYNAMIC}, {@code PREEMPT} or none of them);
 *   <li>the kernel configuration ({@link KernelConfig});
 *   <li>{@code preempt=} on {@code /proc/cmdline} (the boot-time choice of a PREEMPT_DYNAMIC kernel);
 *   <li>debugfs {@code /sys/kernel/debug/sched/preempt}, the live mode of a PREEMPT_DYNAMIC kernel
 *       ({@code none voluntary (full) lazy}; needs root and a mounted debugfs).
 * </ol>
 *
 * @param model the concluded model
 * @param dynamicMode for {@link PreemptionModel#PREEMPT_DYNAMIC}, the mode in force ({@code none},
 *     {@code voluntary}, {@code full}, {@code lazy}) from the most direct source available; empty
 *     otherwise or when no source tells
 * @param evidence every observation read, in the order above
 */
public record KernelPreemption(
    PreemptionModel model, Optional<String> dynamicMode, List<Evidence> evidence) {

  private static final Pattern RT = Pattern.compile("\\bPREEMPT[_ ]RT\\b");
  private static final Pattern DYNAMIC = Pattern.compile("\\bPREEMPT_DYNAMIC\\b");
  private static final Pattern FULL = Pattern.compile("\\bPREEMPT(_LAZY)?\\b(?![_ ]RT)");
  private static final Pattern CMDLINE = Pattern.compile("(?:^|\\s)preempt=(\\S+)");
  private static final Pattern LIVE_MODE = Pattern.compile("\\((\\w+)\\)");

  /**
   * Creates a conclusion.
   *
   * @param model the concluded model
   * @param dynamicMode the mode in force of a dynamic kernel
   * @param evidence the observations
   */
  public KernelPreemption {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(dynamicMode, "dynamicMode");
    evidence = List.copyOf(evidence);
  }

  /**
   * Reads every source below {@code root} and concludes the model.
   *
   * @param root the directory standing in for {@code /}
   * @return the conclusion with its evidence
   * @throws EdgeException only if a file exists but cannot be read for a reason other than
   *     permissions (debugfs, which needs root, is skipped with a note when it is not readable)
   */
  public static KernelPreemption read(HostRoot root) {
    Objects.requireNonNull(root, "root");
    List<Evidence> evidence = new ArrayList<>();

    Optional<String> realtime = KernelFiles.readTrimmed(root.resolve("/sys/kernel/realtime"));
    realtime.ifPresent(v -> evidence.add(new Evidence("/sys/kernel/realtime", v)));

    Optional<String> version = KernelFiles.readTrimmed(root.resolve("/proc/version"));
    version.ifPresent(v -> evidence.add(new Evidence("/proc/version", v)));
    String build = version.orElse("");

    Optional<KernelConfig> config = KernelConfig.read(root);
    config.ifPresent(c -> {
      for (String option : List.of("CONFIG_PREEMPT_RT", "CONFIG_PREEMPT_DYNAMIC", "CONFIG_PREEMPT",
          "CONFIG_PREEMPT_LAZY", "CONFIG_PREEMPT_VOLUNTARY", "CONFIG_PREEMPT_NONE")) {
        c.get(option).ifPresent(v -> evidence.add(new Evidence(option + " in " + c.source(), v)));
      }
    });

    Optional<String> bootChoice =
        KernelFiles.readTrimmed(root.resolve("/proc/cmdline")).flatMap(cmdline -> {
          Matcher m = CMDLINE.matcher(cmdline);
          return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        });
    bootChoice.ifPresent(v -> evidence.add(new Evidence("preempt= in /proc/cmdline", v)));

    Optional<String> live = readLiveMode(root, evidence);

    boolean rt = realtime.filter("1"::equals).isPresent()
        || RT.matcher(build).find()
        || config.filter(c -> c.isEnabled("CONFIG_PREEMPT_RT")).isPresent();
    if (rt) {
      return new KernelPreemption(PreemptionModel.PREEMPT_RT, Optional.empty(), evidence);
    }
    boolean dynamic = DYNAMIC.matcher(build).find()
        || config.filter(c -> c.isEnabled("CONFIG_PREEMPT_DYNAMIC")).isPresent();
    if (dynamic) {
      Optional<String> mode = live.or(() -> bootChoice).or(() -> config.flatMap(KernelPreemption::defaultMode));
      return new KernelPreemption(PreemptionModel.PREEMPT_DYNAMIC, mode, evidence);
    }
    if (config.isPresent()) {
      Optional<String> mode = defaultMode(config.get());
      if (mode.isPresent()) {
        return new KernelPreemption(staticModel(mode.get()), Optional.empty(), evidence);
      }
    }
    if (FULL.matcher(build).find()) {
      return new KernelPreemption(PreemptionModel.PREEMPT, Optional.empty(), evidence);
    }
    // Without PREEMPT in the build line the kernel is VOLUNTARY or NONE; only the config tells which.
    return new KernelPreemption(PreemptionModel.UNKNOWN, Optional.empty(), evidence);
  }

  private static Optional<String> readLiveMode(HostRoot root, List<Evidence> evidence) {
    String path = "/sys/kernel/debug/sched/preempt";
    try {
      Optional<String> text = KernelFiles.readTrimmed(root.resolve(path));
      text.ifPresent(v -> evidence.add(new Evidence(path, v)));
      return text.flatMap(v -> {
        Matcher m = LIVE_MODE.matcher(v);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
      });
    } catch (EdgeException e) {
      evidence.add(new Evidence(path, "not readable: " + e.problem()));
      return Optional.empty();
    }
  }

  private static Optional<String> defaultMode(KernelConfig config) {
    if (config.isEnabled("CONFIG_PREEMPT_LAZY")) {
      return Optional.of("lazy");
    }
    if (config.isEnabled("CONFIG_PREEMPT")) {
      return Optional.of("full");
    }
    if (config.isEnabled("CONFIG_PREEMPT_VOLUNTARY")) {
      return Optional.of("voluntary");
    }
    if (config.isEnabled("CONFIG_PREEMPT_NONE")) {
      return Optional.of("none");
    }
    return Optional.empty();
  }

  private static PreemptionModel staticModel(String mode) {
    switch (mode) {
      case "full":
      case "lazy":
        return PreemptionModel.PREEMPT;
      case "voluntary":
        return PreemptionModel.VOLUNTARY;
      default:
        return PreemptionModel.NONE;
    }
  }
}
