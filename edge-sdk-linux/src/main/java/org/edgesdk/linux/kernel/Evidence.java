package org.edgesdk.linux.kernel;

import java.util.Objects;

/**
 * One observation a conclusion rests on: where it was read and what was there.
 *
 * @param source where the value was read, as the device names it ({@code /proc/version},
 *     {@code /proc/cmdline}, {@code CONFIG_PREEMPT_RT in /proc/config.gz})
 * @param value what was found there, verbatim or shortened
 */
public record Evidence(String source, String value) {
  /**
   * Creates an observation.
   *
   * @param source where the value was read
   * @param value what was found there
   */
  public Evidence {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(value, "value");
  }
}
