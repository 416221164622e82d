package org.edgesdk.examples.edgectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.cpufreq.CpuFreq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuFreqCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private static String bundled(String name) {
    try (InputStream in = BundledFixture.class.getResourceAsStream("fixtures/" + name + ".ttar")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String pi4() throws IOException {
    BundledFixture.materialise(bundled("rpi4"), dir);
    return dir.toString();
  }

  private String vm() throws IOException {
    Files.createDirectories(dir.resolve("sys/devices/system/cpu/cpufreq"));
    Files.createDirectories(dir.resolve("sys/class/thermal"));
    return dir.toString();
  }

  private Path policy0() {
    return dir.resolve("sys/devices/system/cpu/cpufreq/policy0");
  }

  private Map<String, String> snapshot() {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(f).toString(), Files.readString(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private String oneLineError() {
    String line = err.toString().strip();
    assertFalse(line.contains("\n"), line);
    return line;
  }

  // ---- edgectl cpufreq --------------------------------------------------------------------------

  @Test
  void cpufreq_json_onPi4Fixture_hasExactlyTheDocumentedShape() throws IOException {
    assertEquals(0, run("cpufreq", "--root", pi4(), "--json"));
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(Set.of("supported", "reason", "policies"), fields(json));
    assertTrue(json.get("supported").asBoolean());
    assertTrue(json.get("reason").isNull());
    JsonNode p = json.get("policies").get(0);
    assertEquals(new TreeSet<>(List.of("id", "cpus", "relatedCpus", "driver", "governor", "availableGovernors",
        "cpuinfoMinKHz", "cpuinfoMaxKHz", "minKHz", "maxKHz", "curKHz", "availableFrequenciesKHz", "boost",
        "epp", "availableEpp")), fields(p));
    assertEquals(0, p.get("id").asInt());
    assertEquals("[0,1,2,3]", p.get("cpus").toString());
    assertEquals("[0,1,2,3]", p.get("relatedCpus").toString());
    assertEquals("cpufreq-dt", p.get("driver").asText());
    assertEquals("ondemand", p.get("governor").asText());
    assertEquals(6, p.get("availableGovernors").size());
    assertTrue(p.get("cpuinfoMinKHz").isInt());
    assertEquals(600000, p.get("cpuinfoMinKHz").asInt());
    assertEquals(1500000, p.get("cpuinfoMaxKHz").asInt());
    assertEquals(600000, p.get("minKHz").asInt());
    assertEquals(1500000, p.get("maxKHz").asInt());
    assertEquals(600000, p.get("curKHz").asInt());
    assertEquals(10, p.get("availableFrequenciesKHz").size());
    assertTrue(p.get("boost").isNull());
    assertTrue(p.get("epp").isNull());
    assertEquals("[]", p.get("availableEpp").toString());
    assertEquals("", err.toString());
  }

  @Test
  void cpufreq_json_withoutCpufreq_isNotSupportedWithReasonAndExitZero() throws IOException {
    assertEquals(0, run("cpufreq", "--root", vm(), "--json"));
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertFalse(json.get("supported").asBoolean());
    assertTrue(json.get("reason").asText().startsWith("not supported here"), json.toString());
    assertEquals("[]", json.get("policies").toString());
  }

  @Test
  void cpufreq_json_eppAndBoost_areFilledWhereTheDriverHasThem() throws IOException {
    pi4();
    Files.writeString(policy0().resolve("energy_performance_preference"), "balance_power\n");
    Files.writeString(policy0().resolve("energy_performance_available_preferences"), "default performance power\n");
    Files.writeString(policy0().resolve("boost"), "1\n");
    assertEquals(0, run("cpufreq", "--root", dir.toString(), "--json"));
    JsonNode p = new ObjectMapper().readTree(out.toString()).get("policies").get(0);
    assertEquals("balance_power", p.get("epp").asText());
    assertEquals("[\"default\",\"performance\",\"power\"]", p.get("availableEpp").toString());
    assertTrue(p.get("boost").asBoolean());
  }

  @Test
  void cpufreq_text_onPi4Fixture_showsThePolicy() throws IOException {
    assertEquals(0, run("cpufreq", "--root", pi4()));
    String text = out.toString();
    assertTrue(text.contains("policy0      CPUs 0-3, driver cpufreq-dt"), text);
    assertTrue(text.contains("limits       600000..1500000 kHz (hardware 600000..1500000 kHz)"), text);
    assertTrue(text.contains("EPP          unsupported (cpufreq-dt has no energy_performance_preference"), text);
  }

  @Test
  void cpufreq_text_withoutCpufreq_saysWhyAndExitsZero() throws IOException {
    assertEquals(0, run("cpufreq", "--root", vm()));
    assertTrue(out.toString().contains("not supported here: /sys/devices/system/cpu/cpufreq is empty"),
        out.toString());
  }

  // ---- edgectl cpufreq set ----------------------------------------------------------------------

  @Test
  void set_valid_writesInOrderAndPrintsRequestedVersusEffective() throws IOException {
    assertEquals(0, run("cpufreq", "set", "--root", pi4(), "--policy", "0", "--governor", "performance",
        "--max", "1200000"));
    assertEquals("performance\n", Files.readString(policy0().resolve("scaling_governor")));
    assertEquals("1200000\n", Files.readString(policy0().resolve("scaling_max_freq")));
    String text = out.toString();
    assertTrue(text.startsWith("policy0: applied"), text);
    List<String> rows = new ArrayList<>(text.lines().filter(l -> l.startsWith("  scaling_")).toList());
    assertEquals(2, rows.size(), text);
    assertTrue(rows.get(0).matches("\\s+scaling_max_freq\\s+1500000\\s+1200000\\s+1200000"), rows.get(0));
    assertTrue(rows.get(1).matches("\\s+scaling_governor\\s+ondemand\\s+performance\\s+performance"), rows.get(1));
    assertEquals("", err.toString());
  }

  @Test
  void set_rootGivenToTheParentCommand_writesBelowThatRootNotThisMachine() throws IOException {
    assertEquals(0, run("cpufreq", "--root", pi4(), "set", "--policy", "0", "--governor", "powersave"));
    assertEquals("powersave\n", Files.readString(policy0().resolve("scaling_governor")));
  }

  @Test
  void set_twoDifferentRoots_isUsageError(@TempDir Path other) throws IOException {
    assertEquals(2, run("cpufreq", "--root", pi4(), "set", "--root", other.toString(), "--policy", "0",
        "--governor", "powersave"));
    assertTrue(oneLineError().contains("--root is given twice"), err.toString());
    assertEquals("ondemand\n", Files.readString(policy0().resolve("scaling_governor")));
  }

  @Test
  void set_unknownGovernor_exitOneOneLineListingGovernors_noFileTouched() throws IOException {
    pi4();
    Map<String, String> before = snapshot();
    assertEquals(1, run("cpufreq", "set", "--root", dir.toString(), "--policy", "0", "--max", "1200000",
        "--governor", "turbo"));
    String line = oneLineError();
    assertTrue(line.startsWith("edgectl: error: INVALID_ARGUMENT: governor 'turbo' is not available for policy0"),
        line);
    assertTrue(line.contains("available: conservative ondemand userspace powersave performance schedutil"), line);
    assertTrue(line.contains("; fix: choose one of"), line);
    assertEquals(before, snapshot());
    assertEquals("", out.toString());
  }

  @Test
  void set_frequencyOutOfRange_exitOneWithTheLimits_noFileTouched() throws IOException {
    pi4();
    Map<String, String> before = snapshot();
    assertEquals(1, run("cpufreq", "set", "--root", dir.toString(), "--policy", "0", "--min", "100000"));
    assertTrue(oneLineError().contains("outside the hardware limits 600000..1500000 kHz"), err.toString());
    assertEquals(before, snapshot());
  }

  @Test
  void set_eppOnDriverWithoutEpp_exitOneUnsupported_noFileTouched() throws IOException {
    pi4();
    Map<String, String> before = snapshot();
    assertEquals(1, run("cpufreq", "set", "--root", dir.toString(), "--policy", "0", "--epp", "power"));
    assertTrue(oneLineError().startsWith("edgectl: error: UNSUPPORTED: policy0: cpufreq-dt has no"
        + " energy_performance_preference"), err.toString());
    assertEquals(before, snapshot());
  }

  @Test
  void set_eppUnderPerformanceGovernor_explainsEbusy_noFileTouched() throws IOException {
    pi4();
    Files.writeString(policy0().resolve("energy_performance_preference"), "balance_power\n");
    Files.writeString(policy0().resolve("energy_performance_available_preferences"),
        "default performance balance_performance balance_power power\n");
    Map<String, String> before = snapshot();
    assertEquals(1, run("cpufreq", "set", "--root", dir.toString(), "--policy", "0", "--governor",
        "performance", "--epp", "power"));
    assertTrue(oneLineError().contains("the kernel answers EBUSY"), err.toString());
    assertEquals(before, snapshot());
  }

  @Test
  void set_unknownPolicy_exitOneNamingTheExistingOnes() throws IOException {
    assertEquals(1, run("cpufreq", "set", "--root", pi4(), "--policy", "4", "--governor", "performance"));
    assertTrue(oneLineError().startsWith("edgectl: error: NOT_FOUND: there is no cpufreq policy4"), err.toString());
  }

  @Test
  void set_withoutCpufreq_exitOneNotSupportedHere() throws IOException {
    assertEquals(1, run("cpufreq", "set", "--root", vm(), "--policy", "0", "--governor", "performance"));
    assertTrue(oneLineError().startsWith("edgectl: error: UNSUPPORTED: not supported here"), err.toString());
  }

  @Test
  void set_nothingToSet_isUsageErrorExitTwo() throws IOException {
    assertEquals(2, run("cpufreq", "set", "--root", pi4(), "--policy", "0"));
    String line = oneLineError();
    assertTrue(line.startsWith("edgectl: usage error: nothing to set"), line);
    assertTrue(line.contains("see 'edgectl cpufreq set --help'"), line);
  }

  @Test
  void set_missingPolicyOrMalformedNumber_isUsageErrorExitTwo() throws IOException {
    String root = pi4();
    Map<String, String> before = snapshot();
    assertEquals(2, run("cpufreq", "set", "--root", root, "--governor", "performance"));
    assertTrue(oneLineError().contains("--policy"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, run("cpufreq", "set", "--root", root, "--policy", "0", "--max", "fast"));
    assertTrue(oneLineError().contains("fast"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, run("cpufreq", "set", "--root", root, "--policy", "0", "--max", "-1"));
    assertEquals(before, snapshot());
  }

  @Test
  void set_hardwareOutsideTheNewLimits_printsTableThenFailsNotApplied() throws IOException {
    pi4();
    // No kernel behind plain files: cpuinfo_cur_freq stays at 600000, below the new minimum, exactly as
    // a board whose firmware ignores the limits reports it.
    assertEquals(1, run("cpufreq", "set", "--root", dir.toString(), "--policy", "0", "--min", "700000",
        "--max", "800000"));
    assertTrue(out.toString().contains("hardware frequency now 600000 kHz"), out.toString());
    assertTrue(oneLineError().startsWith("edgectl: error: NOT_APPLIED: policy0: the kernel accepted the change but"
        + " policy0 runs at 600000 kHz"), err.toString());
  }

  // ---- edgectl thermal --------------------------------------------------------------------------

  @Test
  void thermal_json_hasExactlyTheDocumentedShape() throws IOException {
    pi4();
    Path cdev = Files.createDirectories(dir.resolve("sys/class/thermal/cooling_device0"));
    Files.writeString(cdev.resolve("type"), "rpi-poe-fan\n");
    Files.writeString(cdev.resolve("cur_state"), "2\n");
    Files.writeString(cdev.resolve("max_state"), "4\n");
    assertEquals(0, run("thermal", "--root", dir.toString(), "--json"));
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(Set.of("zones", "coolingDevices"), fields(json));
    JsonNode zone = json.get("zones").get(0);
    assertEquals(Set.of("name", "type", "tempC", "trips"), fields(zone));
    assertEquals("thermal_zone0", zone.get("name").asText());
    assertEquals("cpu-thermal", zone.get("type").asText());
    assertEquals(47.236, zone.get("tempC").asDouble(), 1e-9);
    JsonNode trip = zone.get("trips").get(0);
    assertEquals(Set.of("type", "tempC"), fields(trip));
    assertEquals("critical", trip.get("type").asText());
    assertEquals(90.0, trip.get("tempC").asDouble(), 1e-9);
    JsonNode fan = json.get("coolingDevices").get(0);
    assertEquals(Set.of("name", "type", "cur", "max"), fields(fan));
    assertEquals("cooling_device0", fan.get("name").asText());
    assertEquals("rpi-poe-fan", fan.get("type").asText());
    assertEquals(2, fan.get("cur").asInt());
    assertEquals(4, fan.get("max").asInt());
  }

  @Test
  void thermal_text_withoutZones_saysSoAndExitsZero() throws IOException {
    assertEquals(0, run("thermal", "--root", vm()));
    assertTrue(out.toString().contains("no thermal zones or hwmon sensors"), out.toString());
    assertEquals(0, run("thermal", "--root", dir.toString(), "--json"));
  }

  @Test
  void thermal_text_onPi4Fixture_showsZoneAndHwmon() throws IOException {
    assertEquals(0, run("thermal", "--root", pi4()));
    assertTrue(out.toString().contains("thermal_zone0    cpu-thermal          47.2 °C  trips: critical 90.0 °C"),
        out.toString());
    assertTrue(out.toString().contains("hwmon0/temp1"), out.toString());
  }

  // ---- demo and bundling ------------------------------------------------------------------------

  @Test
  void demo_onThisMachine_showsItsCpufreqOrSaysWhyAndShowsTheLabelledFixture() {
    assertEquals(0, run("demo"));
    String text = out.toString();
    assertTrue(text.contains("3. CPU frequency and temperature"), text);
    if (CpuFreq.of(HostRoot.system()).read().isSupported()) {
      assertTrue(text.contains("The policies of this machine"), text);
    } else {
      assertTrue(text.contains("This machine has no CPU frequency state to show: not supported here"), text);
      assertTrue(text.contains("bundled Raspberry Pi 4 fixture instead. It is NOT this machine"), text);
      assertTrue(text.contains("policy0      CPUs 0-3, driver cpufreq-dt"), text);
      assertTrue(text.contains("refused: governor 'turbo' is not available"), text);
      assertTrue(text.contains("closed with restoreOnClose: governor ondemand, max 1500000 kHz again"), text);
    }
  }

  @Test
  void demo_onFixtureWithCpufreq_showsItsPoliciesReadOnly() throws IOException {
    String root = pi4();
    Map<String, String> before = snapshot();
    assertEquals(0, run("demo", "--root", root));
    assertTrue(out.toString().contains("The policies of the tree at " + root), out.toString());
    assertEquals(before, snapshot(), "the demo must not change the tree it reads");
  }

  @Test
  void bundledFixture_isTheSameTreeAsTheLinuxTests() throws IOException {
    Path source = Path.of("..", "edge-sdk-linux", "src", "test", "resources", "org", "edgesdk", "linux",
        "fixtures", "rpi4.ttar");
    assumeTrue(Files.isRegularFile(source), "needs the reactor checkout (run from edge-sdk-examples)");
    assertEquals(Files.readString(source), bundled("rpi4"));
  }

  @Test
  void bundledFixture_materialisesSymlinksAndCleansUp() {
    Path where;
    try (BundledFixture pi = BundledFixture.open("rpi4")) {
      where = pi.dir();
      assertTrue(Files.isSymbolicLink(where.resolve("sys/devices/system/cpu/cpu3/cpufreq")));
      assertEquals("Raspberry Pi 4 Model B Rev 1.1", pi.device());
      assertTrue(pi.note().contains("Source:"), pi.note());
    }
    assertFalse(Files.exists(where));
  }

  @Test
  void help_listsTheNewCommands() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("cpufreq"), out.toString());
    assertTrue(out.toString().contains("thermal"), out.toString());
  }
}
