package org.edgesdk.linux.thermal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.edgesdk.api.Availability;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.FixtureTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThermalTest {

  @TempDir Path dir;

  private ThermalInfo read(String fixture) {
    return Thermal.of(HostRoot.of(FixtureTrees.materialise(fixture, dir))).read();
  }

  private void write(String systemPath, String content) throws IOException {
    Path file = HostRoot.of(dir).resolve(systemPath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void read_raspberryPi5_zoneTripsCoolingDeviceAndHwmon() {
    ThermalInfo info = read("rpi5");
    ThermalZone cpu = info.zone("cpu-thermal").orElseThrow();
    assertEquals("thermal_zone0", cpu.name());
    assertEquals(52.65, cpu.tempC().orElseThrow(), 1e-9);
    assertEquals(Optional.of("enabled"), cpu.mode());
    assertEquals(Optional.of("step_wise"), cpu.policy());
    assertEquals(5, cpu.trips().size());
    assertEquals(new TripPoint(0, TripType.CRITICAL, 90.0, Optional.of(0.0)), cpu.trips().get(0));
    assertEquals(new TripPoint(1, TripType.ACTIVE, 50.0, Optional.of(2.0)), cpu.trips().get(1));
    assertEquals(67.5, cpu.trips().get(3).tempC(), 1e-9);
    assertEquals(50.0, cpu.firstTrip(TripType.ACTIVE).orElseThrow().tempC(), 1e-9);
    assertEquals(List.of("cooling_device0"), cpu.coolingDevices());
    assertEquals(List.of(new CoolingDevice("cooling_device0", "pwm-fan", 1, 4)), info.coolingDevices());
    assertTrue(info.coolingDevices().get(0).isActive());
    HwmonTemperature adc = info.hwmon().stream().filter(h -> h.chipName().equals("rp1_adc")).findFirst().orElseThrow();
    assertEquals("hwmon1", adc.chip());
    assertEquals("temp1", adc.sensor());
    assertEquals(55.142, adc.tempC().orElseThrow(), 1e-9);
    assertEquals(2, info.hwmon().size(), "pwmfan has no temperature input");
  }

  @Test
  void read_intel_selectsPackageZoneByTypeAndLabelsCoretemp() {
    ThermalInfo info = read("intel-pstate-active");
    ThermalZone pkg = info.firstZone("cpu-thermal", "x86_pkg_temp").orElseThrow();
    assertEquals("x86_pkg_temp", pkg.type());
    assertEquals(45.0, pkg.tempC().orElseThrow(), 1e-9);
    HwmonTemperature pkgTemp = info.hwmon().stream()
        .filter(h -> h.label().equals(Optional.of("Package id 0"))).findFirst().orElseThrow();
    assertEquals("coretemp", pkgTemp.chipName());
    assertEquals(Optional.of(100.0), pkgTemp.critC());
    assertEquals(List.of("Processor", "Processor", "Processor", "Processor", "intel_powerclamp", "TCC Offset"),
        info.coolingDevices().stream().map(CoolingDevice::type).toList());
    assertEquals(63, info.coolingDevices().get(5).max());
  }

  @Test
  void read_rk3588_severalZonesWithPassiveTripsAndCpufreqCoolingDevices() {
    ThermalInfo info = read("rk3588");
    assertEquals(7, info.zones().size());
    ThermalZone big = info.zone("bigcore1-thermal").orElseThrow();
    assertEquals(TripType.PASSIVE, big.trips().get(0).type());
    assertEquals(75.0, big.firstTrip(TripType.PASSIVE).orElseThrow().tempC(), 1e-9);
    assertEquals(List.of("cooling_device2"), big.coolingDevices());
    assertEquals("cpufreq-cpu6", info.coolingDevices().get(2).type());
    assertEquals(List.of(info.zone("gpu-thermal").orElseThrow()), info.zones("gpu-thermal"));
  }

  @Test
  void read_virtualMachine_hasNoZonesAndNoError() {
    ThermalInfo info = read("vm-no-cpufreq");
    assertEquals(List.of(), info.zones());
    assertEquals(List.of(), info.coolingDevices());
    assertEquals(List.of(), info.hwmon());
    assertEquals(Optional.empty(), info.zone("cpu-thermal"));
  }

  @Test
  void read_emptyRoot_hasNothing() {
    ThermalInfo info = Thermal.of(HostRoot.of(dir)).read();
    assertTrue(info.zones().isEmpty() && info.coolingDevices().isEmpty() && info.hwmon().isEmpty());
  }

  @Test
  void zone_indicesChangeBetweenBoots_selectionByTypeStillFindsIt() throws IOException {
    write("/sys/class/thermal/thermal_zone2/type", "gpu-thermal\n");
    write("/sys/class/thermal/thermal_zone2/temp", "40000\n");
    write("/sys/class/thermal/thermal_zone10/type", "cpu-thermal\n");
    write("/sys/class/thermal/thermal_zone10/temp", "-5500\n");
    ThermalInfo info = Thermal.of(HostRoot.of(dir)).read();
    assertEquals(List.of("thermal_zone2", "thermal_zone10"), info.zones().stream().map(ThermalZone::name).toList());
    assertEquals(-5.5, info.zone("cpu-thermal").orElseThrow().tempC().orElseThrow(), 1e-9);
  }

  @Test
  void read_sensorWithoutSample_temperatureUnavailableWithReason() throws IOException {
    write("/sys/class/thermal/thermal_zone0/type", "soc-thermal\n");
    Files.createDirectories(dir.resolve("sys/class/thermal/thermal_zone0/temp")); // reads fail with EISDIR
    Availability<Double> temp = Thermal.of(HostRoot.of(dir)).read().zones().get(0).tempC();
    assertFalse(temp.isAvailable());
    assertTrue(((Availability.Unavailable<Double>) temp).reason().contains("temp cannot be read now"));
  }

  @Test
  void read_unknownTripType_isSkipped() throws IOException {
    write("/sys/class/thermal/thermal_zone0/type", "cpu-thermal\n");
    write("/sys/class/thermal/thermal_zone0/temp", "40000\n");
    write("/sys/class/thermal/thermal_zone0/trip_point_0_type", "bogus\n");
    write("/sys/class/thermal/thermal_zone0/trip_point_0_temp", "90000\n");
    write("/sys/class/thermal/thermal_zone0/trip_point_1_type", "hot\n");
    write("/sys/class/thermal/thermal_zone0/trip_point_1_temp", "95000\n");
    List<TripPoint> trips = Thermal.of(HostRoot.of(dir)).read().zones().get(0).trips();
    assertEquals(List.of(new TripPoint(1, TripType.HOT, 95.0, Optional.empty())), trips);
  }

  @Test
  void read_garbageTemperature_isCorruptDataNamingTheFile() throws IOException {
    write("/sys/class/thermal/thermal_zone0/type", "cpu-thermal\n");
    write("/sys/class/thermal/thermal_zone0/temp", "hot\n");
    EdgeException e = assertThrows(EdgeException.class, () -> Thermal.of(HostRoot.of(dir)).read());
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().contains("thermal_zone0/temp holds 'hot'"), e.problem());
  }

  @Test
  void tripType_sysfsNames_roundTrip() {
    for (TripType type : TripType.values()) {
      assertEquals(Optional.of(type), TripType.fromSysfs(type.sysfsName()));
    }
    assertEquals(Optional.empty(), TripType.fromSysfs("warm"));
  }

  @Test
  void read_zoneWithoutType_isCorruptDataNamingTheFileNotAGuess() throws IOException {
    write("/sys/class/thermal/thermal_zone0/temp", "40000\n");
    EdgeException e = assertThrows(EdgeException.class, () -> Thermal.of(HostRoot.of(dir)).read());
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().contains("thermal_zone0/type is missing"), e.problem());
  }

  @Test
  void read_coolingDeviceWithoutMaxState_isCorruptDataNotAGuess() throws IOException {
    write("/sys/class/thermal/cooling_device0/type", "pwm-fan\n");
    write("/sys/class/thermal/cooling_device0/cur_state", "1\n");
    EdgeException e = assertThrows(EdgeException.class, () -> Thermal.of(HostRoot.of(dir)).read());
    assertTrue(e.problem().contains("cooling_device0/max_state is missing"), e.problem());
  }

  @Test
  void read_hwmonWithAttributesInDevice_readsTheOlderLayout() throws IOException {
    write("/sys/class/hwmon/hwmon0/device/name", "it8728\n");
    write("/sys/class/hwmon/hwmon0/device/temp2_input", "38000\n");
    write("/sys/class/hwmon/hwmon0/device/temp2_label", "CPU\n");
    HwmonTemperature t = Thermal.of(HostRoot.of(dir)).read().hwmon().get(0);
    assertEquals("it8728", t.chipName());
    assertEquals("temp2", t.sensor());
    assertEquals(Optional.of("CPU"), t.label());
    assertEquals(38.0, t.tempC().orElseThrow(), 1e-9);
  }
}
