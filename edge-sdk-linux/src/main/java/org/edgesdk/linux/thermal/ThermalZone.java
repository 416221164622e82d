package org.edgesdk.linux.thermal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.Availability;

/**
 * A thermal zone ({@code /sys/class/thermal/thermal_zoneN}).
 *
 * @param name the directory name, {@code thermal_zoneN}; the number is not stable across boots
 * @param type the zone's type, the stable way to select it ({@code cpu-thermal}, {@code x86_pkg_temp},
 *     {@code soc-thermal}...)
 * @param tempC the temperature in degrees Celsius, or why it cannot be read (some sensors answer
 *     EAGAIN or ENODATA until they have a sample)
 * @param mode {@code enabled} or {@code disabled}, if reported
 * @param policy the thermal governor ({@code step_wise}, {@code power_allocator}...), if reported
 * @param trips the trip points in index order
 * @param coolingDevices the names of the cooling devices bound to the zone ({@code cdevM} links)
 */
public record ThermalZone(
    String name,
    String type,
    Availability<Double> tempC,
    Optional<String> mode,
    Optional<String> policy,
    List<TripPoint> trips,
    List<String> coolingDevices) {

  /**
   * Creates the zone.
   *
   * @param name the directory name
   * @param type the type
   * @param tempC the temperature
   * @param mode the mode
   * @param policy the thermal governor
   * @param trips the trip points
   * @param coolingDevices the bound cooling devices
   */
  public ThermalZone {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(tempC, "tempC");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(policy, "policy");
    trips = List.copyOf(trips);
    coolingDevices = List.copyOf(coolingDevices);
  }

  /**
   * Returns the trip point of the given type with the lowest temperature.
   *
   * @param type the trip type
   * @return the first trip of that type, or empty
   */
  public Optional<TripPoint> firstTrip(TripType type) {
    return trips.stream().filter(t -> t.type() == type).min((a, b) -> Double.compare(a.tempC(), b.tempC()));
  }
}
