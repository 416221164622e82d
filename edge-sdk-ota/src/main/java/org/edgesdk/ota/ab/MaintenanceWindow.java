package org.edgesdk.ota.ab;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * A daily maintenance window: installs start only inside it. The window opens every day at
 * {@code start} local time in {@code zone} and stays open for {@code length}; a window that runs
 * past midnight (22:00 for 4 hours) is fine.
 *
 * <pre>{@code
 * AbUpdater.builder(config)
 *     .maintenanceWindow(MaintenanceWindow.daily(LocalTime.of(2, 0), Duration.ofHours(3), ZoneId.of("Europe/Berlin")))
 *     .build();
 * }</pre>
 *
 * @param start the local time the window opens
 * @param length how long it stays open, more than zero and at most one day
 * @param zone the time zone {@code start} is in
 */
public record MaintenanceWindow(LocalTime start, Duration length, ZoneId zone) {
  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if {@code length} is not within (0, 24 h]
   */
  public MaintenanceWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(zone, "zone");
    if (length.isNegative() || length.isZero() || length.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("length must be within (0, 24h] but was " + length);
    }
  }

  /**
   * Returns a window that opens every day at {@code start} in {@code zone} for {@code length}.
   *
   * @param start the local opening time
   * @param length how long it stays open
   * @param zone the time zone
   * @return the window
   */
  public static MaintenanceWindow daily(LocalTime start, Duration length, ZoneId zone) {
    return new MaintenanceWindow(start, length, zone);
  }

  /** The opening of the window on the local date of {@code day}, as an instant. */
  private Instant openingOn(ZonedDateTime day) {
    return day.toLocalDate().atTime(start).atZone(zone).toInstant();
  }

  /**
   * Returns whether the window is open at an instant.
   *
   * @param now the instant
   * @return {@code true} inside the window (opening included, closing excluded)
   */
  public boolean contains(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    for (int days = -1; days <= 0; days++) {
      Instant open = openingOn(local.plusDays(days));
      if (!now.isBefore(open) && now.isBefore(open.plus(length))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns when the window next opens after an instant (or at it, if it opens exactly then).
   *
   * @param now the instant
   * @return the next opening
   */
  public Instant nextOpening(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    for (int days = 0; days <= 2; days++) {
      Instant open = openingOn(local.plusDays(days));
      if (!open.isBefore(now)) {
        return open;
      }
    }
    throw new AssertionError("no opening within two days of " + now);
  }
}
