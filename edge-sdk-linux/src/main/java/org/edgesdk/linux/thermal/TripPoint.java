package org.edgesdk.linux.thermal;

import java.util.Objects;
import java.util.Optional;

/**
 * A trip point of a thermal zone.
 *
 * @param index K of {@code trip_point_K_*}
 * @param type the trip type
 * @param tempC the trip temperature in degrees Celsius
 * @param hysteresisC the hysteresis in kelvin (degrees Celsius), if the zone reports it
 */
public record TripPoint(int index, TripType type, double tempC, Optional<Double> hysteresisC) {
  /**
   * Creates the trip point.
   *
   * @param index the trip index
   * @param type the type
   * @param tempC the temperature
   * @param hysteresisC the hysteresis
   */
  public TripPoint {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hysteresisC, "hysteresisC");
  }
}
