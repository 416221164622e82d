package org.edgesdk.linux.thermal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.HostRoot;

/**
 * The thermal state of a host at one moment.
 *
 * @param root the root it was read from
 * @param zones the thermal zones in zone-number order (empty when the host has none, as in most
 *     virtual machines)
 * @param coolingDevices the cooling devices in number order
 * @param hwmon the hwmon temperature inputs, by chip number then input number
 */
public record ThermalInfo(
    HostRoot root, List<ThermalZone> zones, List<CoolingDevice> coolingDevices, List<HwmonTemperature> hwmon) {

  /**
   * Creates the state.
   *
   * @param root the root
   * @param zones the zones
   * @param coolingDevices the cooling devices
   * @param hwmon the hwmon inputs
   */
  public ThermalInfo {
    Objects.requireNonNull(root, "root");
    zones = List.copyOf(zones);
    coolingDevices = List.copyOf(coolingDevices);
    hwmon = List.copyOf(hwmon);
  }

  /**
   * Returns the first zone (lowest number) of the given type. Select zones this way: their numbers
   * change between boots and kernels.
   *
   * @param type the zone type, such as {@code cpu-thermal} or {@code x86_pkg_temp}
   * @return the zone, or empty if the host has none of that type
   */
  public Optional<ThermalZone> zone(String type) {
    Objects.requireNonNull(type, "type");
    return zones.stream().filter(z -> z.type().equals(type)).findFirst();
  }

  /**
   * Returns every zone of the given type (some SoCs have several, such as per-cluster sensors).
   *
   * @param type the zone type
   * @return the zones, possibly empty
   */
  public List<ThermalZone> zones(String type) {
    Objects.requireNonNull(type, "type");
    return zones.stream().filter(z -> z.type().equals(type)).toList();
  }

  /**
   * Returns the first zone whose type is one of {@code types}, trying them in order: a portable way
   * to find "the CPU temperature" across boards.
   *
   * @param types zone types in order of preference
   * @return the first zone found, or empty
   */
  public Optional<ThermalZone> firstZone(String... types) {
    for (String type : types) {
      Optional<ThermalZone> zone = zone(type);
      if (zone.isPresent()) {
        return zone;
      }
    }
    return Optional.empty();
  }
}
