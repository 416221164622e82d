package org.edgesdk.linux.cpufreq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.edgesdk.api.Availability;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.linux.cpufreq.internal.WriteFailure;
import org.jspecify.annotations.Nullable;

/**
 * A transaction on one cpufreq policy: set any of governor, frequency limits, energy-performance
 * preference and the userspace frequency, then {@link #apply()}.
 *
 * <p>{@code apply()} first reads the policy and validates every value against it, touching no file
 * when any is wrong: the governor must be available; each limit inside {@code cpuinfo_min_freq ..
 * cpuinfo_max_freq} and, where the driver lists frequencies, one of them; the resulting minimum not
 * above the maximum; EPP only where the driver has it, one of its preferences, and only {@code
 * performance} under the {@code performance} governor (the kernel answers EBUSY otherwise); setspeed
 * only under the {@code userspace} governor. It then writes in the kernel's order (limits with the
 * maximum raised before the minimum, or the minimum lowered first; the governor before EPP and
 * setspeed), undoes the writes already made if one fails, and reads every attribute back.
 *
 * <p>Instances are not thread-safe; configure and apply from one thread. If a setter is not invoked,
 * that attribute is left as it is.
 */
public final class PolicyChange {
  private final CpuFreq cpufreq;
  private final int policyId;
  private @Nullable String governor;
  private @Nullable Integer minKHz;
  private @Nullable Integer maxKHz;
  private @Nullable String epp;
  private @Nullable Integer setspeedKHz;
  private boolean restoreOnClose;

  PolicyChange(CpuFreq cpufreq, int policyId) {
    this.cpufreq = cpufreq;
    this.policyId = policyId;
  }

  /**
   * Sets the governor ({@code scaling_governor}).
   *
   * @param governor a governor name, for example {@code performance} or {@code schedutil}
   * @return this change
   * @throws IllegalArgumentException if the name is blank or contains white space
   */
  public PolicyChange governor(String governor) {
    this.governor = word(governor, "governor");
    return this;
  }

  /**
   * Sets the lower frequency limit ({@code scaling_min_freq}).
   *
   * @param kHz the frequency in kHz
   * @return this change
   * @throws IllegalArgumentException if {@code kHz} is not positive
   */
  public PolicyChange minKHz(int kHz) {
    this.minKHz = positive(kHz, "minKHz");
    return this;
  }

  /**
   * Sets the upper frequency limit ({@code scaling_max_freq}).
   *
   * @param kHz the frequency in kHz
   * @return this change
   * @throws IllegalArgumentException if {@code kHz} is not positive
   */
  public PolicyChange maxKHz(int kHz) {
    this.maxKHz = positive(kHz, "maxKHz");
    return this;
  }

  /**
   * Sets the energy-performance preference ({@code energy_performance_preference}).
   *
   * @param preference one of the policy's {@link Policy#availableEnergyPerformancePreferences()}
   * @return this change
   * @throws IllegalArgumentException if the name is blank or contains white space
   */
  public PolicyChange energyPerformancePreference(String preference) {
    this.epp = word(preference, "preference");
    return this;
  }

  /**
   * Sets the frequency of the {@code userspace} governor ({@code scaling_setspeed}).
   *
   * @param kHz the frequency in kHz
   * @return this change
   * @throws IllegalArgumentException if {@code kHz} is not positive
   */
  public PolicyChange setspeedKHz(int kHz) {
    this.setspeedKHz = positive(kHz, "setspeedKHz");
    return this;
  }

  /**
   * Asks {@link AppliedChange#close()} to write back the values this change replaced. If this method
   * is not invoked, closing the applied change leaves the new values in place.
   *
   * @param restore whether to restore on close
   * @return this change
   */
  public PolicyChange restoreOnClose(boolean restore) {
    this.restoreOnClose = restore;
    return this;
  }

  /**
   * Validates, writes and reads back the change.
   *
   * @return the requested and effective values
   * @throws IllegalStateException if no attribute was set
   * @throws EdgeException with {@link ErrorCode#UNSUPPORTED} (no cpufreq, no EPP, no setspeed),
   *     {@link ErrorCode#NOT_FOUND} (no such policy), {@link ErrorCode#INVALID_ARGUMENT} (a value
   *     refused by validation or by the kernel; no file touched by validation), {@link
   *     ErrorCode#PERMISSION_DENIED} (a write refused for lack of privilege, naming the file), or
   *     {@link ErrorCode#BUSY} (EBUSY from the kernel); after a failed write the earlier writes of the
   *     change are undone and the problem says so
   */
  public AppliedChange apply() {
    if (governor == null && minKHz == null && maxKHz == null && epp == null && setspeedKHz == null) {
      throw new IllegalStateException("nothing to change for policy" + policyId
          + ": set a governor, minKHz, maxKHz, energyPerformancePreference or setspeedKHz first");
    }
    Policy before = cpufreq.policy(policyId);
    validate(before);
    List<Write> plan = Write.order(before.minKHz(), before.maxKHz(), minKHz, maxKHz, governor, epp, setspeedKHz);
    Path dir = cpufreq.root().resolve(PolicyReader.CPUFREQ_DIR + "/" + before.name());
    Map<String, String> previous = previousValues(before);
    List<Write> done = new ArrayList<>();
    for (Write write : plan) {
      try {
        cpufreq.writer().write(dir.resolve(write.attribute()), write.value());
      } catch (WriteFailure failure) {
        String undo = rollBack(dir, before, previous, done);
        throw Errors.writeRefused(before, write, failure, undo);
      }
      done.add(write);
    }
    List<SettingResult> results = new ArrayList<>();
    for (Write write : plan) {
      String effective = Sysfs.text(dir.resolve(write.attribute())).orElse("<absent>");
      results.add(new SettingResult(write.attribute(), previous.get(write.attribute()), write.value(),
          effective, effective.equals(write.value())
              ? Optional.empty() : Optional.of(Errors.notEffectiveNote(cpufreq.root(), before, write, effective))));
    }
    int finalMin = minKHz != null ? minKHz : before.minKHz();
    int finalMax = maxKHz != null ? maxKHz : before.maxKHz();
    Availability<Integer> running = hardwareFrequency(dir);
    Optional<String> warning = Optional.empty();
    if ((minKHz != null || maxKHz != null) && running.isAvailable()) {
      int hz = running.orElseThrow();
      if (hz > finalMax || hz < finalMin) {
        warning = Optional.of(before.name() + " runs at " + hz + " kHz (cpuinfo_cur_freq), outside the limits "
            + finalMin + ".." + finalMax + " kHz just set: " + Errors.floorExplanation(cpufreq.root(), hz));
      }
    }
    return new AppliedChange(this, before, previous, plan, results, running, warning, restoreOnClose);
  }

  private void validate(Policy p) {
    String finalGovernor = governor != null ? governor : p.governor();
    if (governor != null && !p.availableGovernors().contains(governor)) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
          "governor '" + governor + "' is not available for " + p.name() + " (driver " + p.driver()
              + "); available: " + String.join(" ", p.availableGovernors()),
          "choose one of: " + String.join(", ", p.availableGovernors())
              + " (or load its module, e.g. modprobe cpufreq_" + governor + ")");
    }
    checkFrequency(p, Write.MIN, minKHz);
    checkFrequency(p, Write.MAX, maxKHz);
    int finalMin = minKHz != null ? minKHz : p.minKHz();
    int finalMax = maxKHz != null ? maxKHz : p.maxKHz();
    if (finalMin > finalMax) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
          p.name() + ": scaling_min_freq " + finalMin + " kHz would be above scaling_max_freq " + finalMax
              + " kHz" + (minKHz == null || maxKHz == null ? " (the current value of the one not changed)" : ""),
          "give a minimum not above the maximum; set both in the same change to move the range"
              + " (limits: " + p.cpuinfoMinKHz() + ".." + p.cpuinfoMaxKHz() + " kHz)");
    }
    if (epp != null) {
      if (!p.availableEnergyPerformancePreferences().isAvailable()) {
        throw new EdgeException(ErrorCode.UNSUPPORTED, p.name() + ": " + PolicyReader.noEpp(p.driver()),
            "leave EPP out on this device; steer power with the governor and the frequency limits");
      }
      List<String> allowed = p.availableEnergyPerformancePreferences().orElseThrow();
      if (!allowed.contains(epp)) {
        throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
            "energy-performance preference '" + epp + "' is not available for " + p.name()
                + "; available: " + String.join(" ", allowed),
            "choose one of: " + String.join(", ", allowed));
      }
      if ("performance".equals(finalGovernor) && !"performance".equals(epp)) {
        throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
            p.name() + ": EPP '" + epp + "' is refused under the performance governor: " + p.driver()
                + " accepts only EPP 'performance' then and the kernel answers EBUSY",
            "switch the governor to powersave in the same change (the governor is written before EPP),"
                + " or ask for EPP 'performance'");
      }
    }
    if (setspeedKHz != null) {
      if (!"userspace".equals(finalGovernor)) {
        throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
            p.name() + ": scaling_setspeed works only under the userspace governor, and the governor would be "
                + finalGovernor,
            p.availableGovernors().contains("userspace")
                ? "add governor userspace to the same change (it is written before setspeed)"
                : "this driver (" + p.driver() + ") has no userspace governor; set minKHz and maxKHz to the"
                    + " same frequency instead");
      }
      checkFrequency(p, Write.SETSPEED, setspeedKHz);
      if (setspeedKHz < finalMin || setspeedKHz > finalMax) {
        throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
            p.name() + ": scaling_setspeed " + setspeedKHz + " kHz is outside the scaling limits "
                + finalMin + ".." + finalMax + " kHz",
            "choose a frequency between " + finalMin + " and " + finalMax + " kHz, or widen the limits"
                + " in the same change");
      }
    }
  }

  private static void checkFrequency(Policy p, String attribute, @Nullable Integer kHz) {
    if (kHz == null) {
      return;
    }
    if (kHz < p.cpuinfoMinKHz() || kHz > p.cpuinfoMaxKHz()) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
          p.name() + ": " + attribute + " " + kHz + " kHz is outside the hardware limits "
              + p.cpuinfoMinKHz() + ".." + p.cpuinfoMaxKHz() + " kHz (cpuinfo_min_freq..cpuinfo_max_freq)",
          "choose a frequency between " + p.cpuinfoMinKHz() + " and " + p.cpuinfoMaxKHz() + " kHz");
    }
    if (p.availableFrequenciesKHz().isAvailable()
        && !p.availableFrequenciesKHz().orElseThrow().contains(kHz)) {
      String list = p.availableFrequenciesKHz().orElseThrow().stream()
          .map(String::valueOf).collect(Collectors.joining(" "));
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
          p.name() + ": " + attribute + " " + kHz + " kHz is not one of the frequencies " + p.driver()
              + " offers: " + list,
          "choose one of the listed frequencies (scaling_available_frequencies, in kHz)");
    }
  }

  private Map<String, String> previousValues(Policy p) {
    Map<String, String> previous = new LinkedHashMap<>();
    previous.put(Write.GOVERNOR, p.governor());
    previous.put(Write.MIN, String.valueOf(p.minKHz()));
    previous.put(Write.MAX, String.valueOf(p.maxKHz()));
    previous.put(Write.EPP, p.energyPerformancePreference().toOptional().orElse("<none>"));
    previous.put(Write.SETSPEED, p.setspeedKHz().map(String::valueOf).toOptional().orElse("<unsupported>"));
    return previous;
  }

  /** Undoes {@code done} in the kernel's order; returns a clause for the error message. */
  private String rollBack(Path dir, Policy before, Map<String, String> previous, List<Write> done) {
    if (done.isEmpty()) {
      return "nothing had been written";
    }
    List<Write> undo = restorePlan(dir, before, previous, done);
    List<String> failed = new ArrayList<>();
    for (Write write : undo) {
      try {
        cpufreq.writer().write(dir.resolve(write.attribute()), write.value());
      } catch (WriteFailure f) {
        failed.add(write.attribute() + " (" + f.errno() + ")");
      }
    }
    String written = done.stream().map(w -> w.attribute() + "=" + w.value()).collect(Collectors.joining(", "));
    return failed.isEmpty()
        ? "the earlier writes (" + written + ") were undone"
        : "the earlier writes (" + written + ") could not all be undone: " + String.join(", ", failed)
            + " still hold the new value";
  }

  /** The writes that put back the previous values of {@code done}, in the kernel's order. */
  static List<Write> restorePlan(Path dir, Policy before, Map<String, String> previous, List<Write> done) {
    Map<String, String> targets = new LinkedHashMap<>();
    for (Write w : done) {
      targets.put(w.attribute(), previous.get(w.attribute()));
    }
    int currentMin = Sysfs.text(dir.resolve(Write.MIN)).map(t -> Sysfs.parseInt(dir.resolve(Write.MIN), t))
        .orElse(before.minKHz());
    int currentMax = Sysfs.text(dir.resolve(Write.MAX)).map(t -> Sysfs.parseInt(dir.resolve(Write.MAX), t))
        .orElse(before.maxKHz());
    String eppTarget = targets.get(Write.EPP);
    String setspeedTarget = targets.get(Write.SETSPEED);
    return Write.order(currentMin, currentMax,
        targets.containsKey(Write.MIN) ? Integer.valueOf(targets.get(Write.MIN)) : null,
        targets.containsKey(Write.MAX) ? Integer.valueOf(targets.get(Write.MAX)) : null,
        targets.get(Write.GOVERNOR),
        eppTarget == null || eppTarget.startsWith("<") ? null : eppTarget,
        setspeedTarget == null || setspeedTarget.startsWith("<") ? null : Integer.valueOf(setspeedTarget));
  }

  private static Availability<Integer> hardwareFrequency(Path dir) {
    try {
      return Sysfs.optionalInt(dir.resolve("cpuinfo_cur_freq"), "no cpuinfo_cur_freq");
    } catch (EdgeException e) {
      return Availability.unavailable("cpuinfo_cur_freq unreadable: " + e.problem());
    }
  }

  CpuFreq cpufreq() {
    return cpufreq;
  }

  int policyId() {
    return policyId;
  }

  private static String word(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || !value.strip().equals(value) || value.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(what + " '" + value + "' must be one word without white space");
    }
    return value;
  }

  private static int positive(int kHz, String what) {
    if (kHz <= 0) {
      throw new IllegalArgumentException(what + " " + kHz + " must be a positive frequency in kHz");
    }
    return kHz;
  }
}
