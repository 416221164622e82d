package org.edgesdk.linux.cpufreq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.edgesdk.api.Availability;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.linux.cpufreq.internal.WriteFailure;

/**
 * The outcome of {@link PolicyChange#apply()}: every attribute written with its previous, requested
 * and effective value, and the hardware frequency read after the change. Closing it restores the
 * previous values when the change asked for that ({@link PolicyChange#restoreOnClose(boolean)}).
 *
 * <p>A write the kernel accepts but does not follow (amd-pstate-epp ignores frequency limits in active
 * mode; a Raspberry Pi 5 runs at 1.5 GHz below any lower limit) is reported here, not thrown: check
 * {@link #isFullyEffective()} or call {@link #requireEffective()}.
 */
public final class AppliedChange implements AutoCloseable {
  private final PolicyChange change;
  private final Policy before;
  private final Map<String, String> previous;
  private final List<Write> written;
  private final List<SettingResult> settings;
  private final Availability<Integer> hardwareKHz;
  private final Optional<String> frequencyWarning;
  private final boolean restoreOnClose;
  private boolean closed;

  AppliedChange(PolicyChange change, Policy before, Map<String, String> previous, List<Write> written,
      List<SettingResult> settings, Availability<Integer> hardwareKHz, Optional<String> frequencyWarning,
      boolean restoreOnClose) {
    this.change = change;
    this.before = before;
    this.previous = Map.copyOf(previous);
    this.written = List.copyOf(written);
    this.settings = List.copyOf(settings);
    this.hardwareKHz = hardwareKHz;
    this.frequencyWarning = frequencyWarning;
    this.restoreOnClose = restoreOnClose;
  }

  /**
   * Returns the policy number.
   *
   * @return the id of {@code policyX}
   */
  public int policyId() {
    return before.id();
  }

  /**
   * Returns the policy as it was before the change.
   *
   * @return the previous state
   */
  public Policy before() {
    return before;
  }

  /**
   * Returns every attribute written, in the order written.
   *
   * @return the results
   */
  public List<SettingResult> settings() {
    return settings;
  }

  /**
   * Returns the frequency the hardware reported after the change ({@code cpuinfo_cur_freq}).
   *
   * @return the frequency in kHz, or why it could not be read
   */
  public Availability<Integer> hardwareKHz() {
    return hardwareKHz;
  }

  /**
   * Returns a warning when the hardware runs outside the frequency limits just set (a firmware floor,
   * such as the Raspberry Pi 5's 1.5 GHz).
   *
   * @return the warning, or empty
   */
  public Optional<String> frequencyWarning() {
    return frequencyWarning;
  }

  /**
   * Returns whether every value read back equals the value requested and the hardware runs within
   * the limits set.
   *
   * @return {@code true} when the change fully took effect
   */
  public boolean isFullyEffective() {
    return frequencyWarning.isEmpty() && settings.stream().allMatch(SettingResult::isEffective);
  }

  /**
   * Returns this change if it fully took effect.
   *
   * @return this
   * @throws EdgeException with {@link ErrorCode#NOT_APPLIED} listing each value that did not take
   *     effect and why
   */
  public AppliedChange requireEffective() {
    if (isFullyEffective()) {
      return this;
    }
    List<String> problems = new ArrayList<>();
    for (SettingResult s : settings) {
      if (!s.isEffective()) {
        problems.add(s.attribute() + " requested " + s.requested() + ", reads " + s.effective()
            + s.note().map(n -> " (" + n + ")").orElse(""));
      }
    }
    frequencyWarning.ifPresent(problems::add);
    throw new EdgeException(ErrorCode.NOT_APPLIED,
        "policy" + policyId() + ": the kernel accepted the change but " + String.join("; ", problems),
        "treat these limits as advisory on this device, or use the driver mode the note names");
  }

  /**
   * Returns whether {@link #close()} restores the previous values.
   *
   * @return {@code true} if the change asked for restore on close
   */
  public boolean restoresOnClose() {
    return restoreOnClose;
  }

  /**
   * Restores the previous values, in the kernel's order, if the change asked for it; otherwise does
   * nothing. Only the first call has an effect.
   *
   * @throws EdgeException if the kernel refuses a restoring write (the others are still attempted)
   */
  @Override
  public void close() {
    if (closed || !restoreOnClose) {
      closed = true;
      return;
    }
    closed = true;
    Path dir = change.cpufreq().root().resolve(PolicyReader.CPUFREQ_DIR + "/" + before.name());
    EdgeException first = null;
    for (Write write : PolicyChange.restorePlan(dir, before, previous, written)) {
      try {
        change.cpufreq().writer().write(dir.resolve(write.attribute()), write.value());
      } catch (WriteFailure failure) {
        EdgeException e = Errors.writeRefused(before, write, failure, "restoring the values before the change");
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "policy" + policyId() + " " + settings.stream()
        .map(s -> s.attribute() + " " + s.previous() + " -> " + s.requested()
            + (s.isEffective() ? "" : " (reads " + s.effective() + ")"))
        .collect(Collectors.joining(", "));
  }
}
