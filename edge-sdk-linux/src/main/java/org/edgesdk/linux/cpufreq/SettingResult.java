package org.edgesdk.linux.cpufreq;

import java.util.Objects;
import java.util.Optional;

/**
 * One attribute written by an {@link AppliedChange}: what it held before, what was requested and what
 * the kernel reports after the write.
 *
 * @param attribute the sysfs attribute, for example {@code scaling_max_freq}
 * @param previous the value before the change
 * @param requested the value written
 * @param effective the value read back after every write of the change
 * @param note why the effective value differs, when the SDK knows the driver's rule
 */
public record SettingResult(
    String attribute, String previous, String requested, String effective, Optional<String> note) {

  /**
   * Creates the result.
   *
   * @param attribute the attribute
   * @param previous the value before
   * @param requested the value written
   * @param effective the value read back
   * @param note the explanation of a difference
   */
  public SettingResult {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(effective, "effective");
    Objects.requireNonNull(note, "note");
  }

  /**
   * Returns whether the value read back is the value requested.
   *
   * @return {@code true} if the write took effect
   */
  public boolean isEffective() {
    return requested.equals(effective);
  }
}
