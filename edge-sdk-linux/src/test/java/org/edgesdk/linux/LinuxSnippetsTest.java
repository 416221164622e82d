package org.edgesdk.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.cpufreq.AppliedChange;
import org.edgesdk.linux.cpufreq.CpuFreq;
import org.edgesdk.linux.rt.PeriodicRunner;
import org.edgesdk.linux.rt.PeriodicStats;
import org.edgesdk.linux.thermal.Thermal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of the {@code {@snippet}} examples in edge-sdk-linux's Javadoc and the README's
 * quickstart: each region runs here, on the Raspberry Pi 4 fixture, so no example can rot.
 */
class LinuxSnippetsTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void hostInfo_onRpi4Fixture_printsKernelAndCpus() {
    HostRoot root = HostRoot.of(FixtureTrees.materialise("rpi4", dir));
    // @start region="host-info"
    HostInfo host = HostInfo.read(root); // HostRoot.system() on the device
    out.println(host.kernelRelease().toOptional().orElse("unknown kernel"));
    host.onlineCpus().toOptional().ifPresent(cpus -> out.println(cpus.size() + " CPUs: " + cpus));
    // @end
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("4 CPUs: 0-3"), text);
  }

  @Test
  void cpufreqAndThermal_onRpi4Fixture_capsWhileHotAndRestores() {
    HostRoot root = HostRoot.of(FixtureTrees.materialise("rpi4", dir));
    // @start region="cpufreq-thermal"
    CpuFreq cpufreq = CpuFreq.of(root);
    double cpuC = Thermal.of(root).read()
        .firstZone("cpu-thermal", "x86_pkg_temp", "soc-thermal")
        .flatMap(zone -> zone.tempC().toOptional()).orElse(Double.NaN);
    if (cpuC > 40) {
      try (AppliedChange change = cpufreq.change(0) // policy0
          .governor("powersave").maxKHz(1_000_000).restoreOnClose(true).apply()) {
        change.requireEffective();   // EdgeException NOT_APPLIED if the kernel did not follow
        out.println("capped: " + change.settings());
        // ... the hot phase of the application ...
      } // the governor and limit are restored here
    }
    // @end
    assertEquals(47.236, cpuC, 1e-9);
    assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("capped: "), bytes.toString(StandardCharsets.UTF_8));
    assertEquals("ondemand", cpufreq.policy(0).governor());
    assertEquals(1_500_000, cpufreq.policy(0).maxKHz());
  }

  @Test
  void periodicRunner_hundredCycles_runsOnTheGrid() {
    // @start region="periodic"
    LongAdder overruns = new LongAdder();
    PeriodicRunner runner = new PeriodicRunner(Duration.ofMillis(1), (cycle, late, missed) -> overruns.increment());
    PeriodicStats stats = runner.run(cycle -> {
      // one control step, allocation-free
      return cycle < 99; // false ends the loop; runner.stop() from another thread also does
    });
    out.println(stats.cycles() + " cycles, " + stats.overruns() + " overruns, max wake-up "
        + stats.maxWakeLatencyNanos() / 1000 + " us");
    // @end
    assertEquals(100, stats.cycles());
    assertEquals(stats.overruns(), overruns.sum());
  }
}
