package org.edgesdk.examples.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.edgesdk.linux.fixture.FixtureTree;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the switcher on the Raspberry Pi 4 fixture tree that edgectl bundles (its note says where the
 * values come from: cpufreq-dt, one policy 600-1500 MHz, cpu-thermal with a critical trip at 90 C).
 * Plain files accept every write, so this checks the switcher's decisions and what it writes; the
 * kernel's refusals are covered by edge-sdk-linux's PolicyChange tests.
 */
class GovernorSwitcherTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private GovernorSwitcher switcher;

  @BeforeEach
  void fixture() throws IOException {
    try (InputStream in = GovernorSwitcherTest.class.getResourceAsStream(
        "/org/edgesdk/examples/edgectl/fixtures/rpi4.ttar")) {
      FixtureTree.unpack(new String(in.readAllBytes(), StandardCharsets.UTF_8), dir);
    }
    switcher = new GovernorSwitcher(new String[] {"--root", dir.toString()}, Map.of(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  @Test
  void tick_hotThenCool_throttlesThenRestoresWithHysteresis() throws IOException {
    assertFalse(switcher.tick());
    assertTrue(text().contains("cpu-thermal 47.2 C: normal (throttle at 75.0 C, restore at 65.0 C)"), text());

    temp(80_000);
    assertTrue(switcher.tick());
    assertTrue(text().contains("cpu-thermal 80.0 C >= 75.0 C: throttling"), text());
    assertTrue(text().contains("policy0: governor ondemand -> powersave, max 1500000 -> 1100000 kHz"), text());
    assertEquals("powersave", sysfs("scaling_governor"));
    assertEquals("1100000", sysfs("scaling_max_freq"));

    temp(70_000); // between the thresholds: stays throttled
    assertTrue(switcher.tick());
    assertEquals("powersave", sysfs("scaling_governor"));

    temp(64_000);
    assertFalse(switcher.tick());
    assertTrue(text().contains("cpu-thermal 64.0 C <= 65.0 C: restoring"), text());
    assertEquals("ondemand", sysfs("scaling_governor"));
    assertEquals("1500000", sysfs("scaling_max_freq"));
  }

  @Test
  void run_stopsThrottled_restoresOnTheWayOut() throws IOException {
    temp(95_000);
    new GovernorSwitcher(new String[] {"--root", dir.toString(), "--loops", "1", "--hot", "85",
        "--hot-governor", "conservative", "--hot-max-percent", "0"}, Map.of(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    assertTrue(text().contains("policy0: governor ondemand -> conservative, max 1500000 -> 600000 kHz"), text());
    assertTrue(text().contains("policy0: governor ondemand, max 1500000 kHz restored"), text());
    assertEquals("ondemand", sysfs("scaling_governor"));
  }

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void temp(int milliCelsius) throws IOException {
    Files.writeString(dir.resolve("sys/class/thermal/thermal_zone0/temp"), milliCelsius + "\n");
  }

  private String sysfs(String name) throws IOException {
    return Files.readString(dir.resolve("sys/devices/system/cpu/cpufreq/policy0/" + name)).strip();
  }
}
