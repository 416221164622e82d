package org.edgesdk.linux.cpufreq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.FixtureTrees;
import org.edgesdk.linux.thermal.Thermal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's cpufreq/thermal example on the intel_pstate fixture, so the example cannot rot. */
class ReadmeExampleTest {

  @TempDir Path dir;

  @Test
  void readmeExample_onIntelPstateFixture_appliesAndRestores() {
    HostRoot root = HostRoot.of(FixtureTrees.materialise("intel-pstate-active", dir));
    List<String> log = new ArrayList<>();
    List<String> phase = new ArrayList<>();

    // --- as in README.md, "CPU frequency and thermal" ---
    CpuFreq cpufreq = CpuFreq.of(root, new FakeKernel());
    CpuFreqInfo info = cpufreq.read();
    try (AppliedChange change = cpufreq.change(0)
        .governor("powersave").energyPerformancePreference("power").maxKHz(1_200_000)
        .restoreOnClose(true).apply()) {
      change.settings().forEach(s -> log.add(s.attribute() + ": " + s.previous() + " -> " + s.requested()
          + " (reads " + s.effective() + ")"));
      change.requireEffective();
      phase.add("on battery");
    }
    double cpuC = Thermal.of(root).read()
        .firstZone("cpu-thermal", "x86_pkg_temp", "soc-thermal")
        .flatMap(z -> z.tempC().toOptional()).orElse(Double.NaN);
    // ---

    assertEquals(4, info.policies().orElseThrow().size());
    assertEquals(List.of(
        "scaling_max_freq: 4200000 -> 1200000 (reads 1200000)",
        "scaling_governor: powersave -> powersave (reads powersave)",
        "energy_performance_preference: balance_performance -> power (reads power)"), log);
    assertEquals(List.of("on battery"), phase);
    assertEquals(4_200_000, cpufreq.policy(0).maxKHz());
    assertEquals("balance_performance", cpufreq.policy(0).energyPerformancePreference().orElseThrow());
    assertEquals(45.0, cpuC, 1e-9);
  }
}
