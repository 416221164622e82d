package org.edgesdk.linux.thermal;

import java.util.Locale;
import java.util.Optional;

/** The type of a trip point ({@code trip_point_K_type}). */
public enum TripType {
  /** Cooling by fans or other active devices starts. */
  ACTIVE,
  /** Passive cooling (frequency throttling) starts. */
  PASSIVE,
  /** The kernel notifies user space that the device is hot. */
  HOT,
  /** The kernel shuts the system down. */
  CRITICAL;

  /**
   * Returns the type the kernel names {@code name}.
   *
   * @param name the text of {@code trip_point_K_type}, such as {@code passive}
   * @return the type, or empty for a name no kernel writes
   */
  public static Optional<TripType> fromSysfs(String name) {
    for (TripType t : values()) {
      if (t.sysfsName().equals(name.strip())) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the name the kernel writes.
   *
   * @return the lower-case name, such as {@code critical}
   */
  public String sysfsName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
