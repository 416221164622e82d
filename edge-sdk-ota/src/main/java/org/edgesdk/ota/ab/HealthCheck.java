package org.edgesdk.ota.ab;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * An application-owned check run after booting into a new slot; the update is committed only when
 * every check returns {@code true} within its deadline. A check that throws, returns {@code false}
 * or overruns its deadline fails.
 *
 * @param name the check's name, reported when it fails
 * @param deadline how long the check may run
 * @param check the check
 */
public record HealthCheck(String name, Duration deadline, Callable<Boolean> check) {

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if the deadline is not positive
   */
  public HealthCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive but was " + deadline);
    }
  }
}
