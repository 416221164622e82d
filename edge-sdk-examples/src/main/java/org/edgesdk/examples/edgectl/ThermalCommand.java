package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;
import org.edgesdk.api.Availability;
import org.edgesdk.linux.thermal.CoolingDevice;
import org.edgesdk.linux.thermal.HwmonTemperature;
import org.edgesdk.linux.thermal.Thermal;
import org.edgesdk.linux.thermal.ThermalInfo;
import org.edgesdk.linux.thermal.ThermalZone;
import org.edgesdk.linux.thermal.TripPoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgectl thermal}: thermal zones with trip points, cooling devices and hwmon temperatures.
 *
 * <p>JSON: {@code {"zones": [{"name": string, "type": string, "tempC": number, "trips": [{"type":
 * string, "tempC": number}]}], "coolingDevices": [{"name": string, "type": string, "cur": int, "max":
 * int}]}}; a zone's {@code tempC} is null only when its sensor cannot be read.
 */
@Command(
    name = "thermal",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Show thermal zones (by type, in degrees Celsius, with trip points), cooling devices"
        + " and hwmon temperatures.")
final class ThermalCommand implements Runnable {
  @Mixin RootOption root;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    ThermalInfo info = Thermal.of(root.root()).read();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, toJson(info));
      return;
    }
    printText(info, out, "");
    out.flush();
  }

  static ObjectNode toJson(ThermalInfo info) {
    ObjectNode node = Json.object();
    ArrayNode zones = node.putArray("zones");
    for (ThermalZone z : info.zones()) {
      ObjectNode zone = zones.addObject();
      zone.put("name", z.name());
      zone.put("type", z.type());
      if (z.tempC().isAvailable()) {
        zone.put("tempC", z.tempC().orElseThrow());
      } else {
        zone.putNull("tempC");
      }
      ArrayNode trips = zone.putArray("trips");
      for (TripPoint t : z.trips()) {
        trips.addObject().put("type", t.type().sysfsName()).put("tempC", t.tempC());
      }
    }
    ArrayNode cooling = node.putArray("coolingDevices");
    for (CoolingDevice c : info.coolingDevices()) {
      cooling.addObject().put("name", c.name()).put("type", c.type()).put("cur", c.cur()).put("max", c.max());
    }
    return node;
  }

  static void printText(ThermalInfo info, PrintWriter out, String indent) {
    if (info.zones().isEmpty() && info.hwmon().isEmpty()) {
      out.println(indent + "thermal      no thermal zones or hwmon sensors below "
          + info.root().path() + " (usual in virtual machines and containers without /sys/class)");
    }
    for (ThermalZone z : info.zones()) {
      out.println(indent + String.format(Locale.ROOT, "%-16s %-20s %s", z.name(), z.type(), celsius(z.tempC()))
          + (z.trips().isEmpty() ? "" : "  trips: " + z.trips().stream()
              .map(t -> t.type().sysfsName() + " " + format(t.tempC()))
              .collect(Collectors.joining(", ")))
          + (z.coolingDevices().isEmpty() ? "" : "  cooled by " + String.join(", ", z.coolingDevices())));
    }
    for (CoolingDevice c : info.coolingDevices()) {
      out.println(indent + String.format(Locale.ROOT, "%-16s %-20s state %d of %d", c.name(), c.type(), c.cur(), c.max()));
    }
    for (HwmonTemperature h : info.hwmon()) {
      out.println(indent + String.format(Locale.ROOT, "%-16s %-20s %s", h.chip() + "/" + h.sensor(),
          h.chipName() + h.label().map(l -> " " + l).orElse(""), celsius(h.tempC()))
          + h.critC().map(c -> "  critical " + format(c)).orElse(""));
    }
  }

  static String celsius(Availability<Double> temp) {
    return temp instanceof Availability.Unavailable<Double> u ? "unknown (" + u.reason() + ")" : format(temp.orElseThrow());
  }

  static String format(double c) {
    return String.format(Locale.ROOT, "%.1f °C", c);
  }
}
