package org.edgesdk.examples.edgectl;

import java.io.PrintWriter;
import org.edgesdk.api.Availability;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.cpufreq.AppliedChange;
import org.edgesdk.linux.cpufreq.CpuFreq;
import org.edgesdk.linux.cpufreq.CpuFreqInfo;
import org.edgesdk.linux.cpufreq.SettingResult;
import org.edgesdk.linux.thermal.Thermal;

/**
 * The demo's chapter on CPU frequency and temperature: this machine's cpufreq policies and thermal
 * zones, or, on a machine without cpufreq, the plain reason and then the Raspberry Pi 4 fixture
 * bundled in edgectl.jar, clearly labelled, with a transaction tried on that temporary copy.
 */
final class CpuFreqChapter {
  private CpuFreqChapter() {}

  static void print(int chapter, HostRoot host, PrintWriter out) {
    out.println(chapter + ". CPU frequency and temperature, read through cpufreq and thermal sysfs");
    CpuFreqInfo info = CpuFreq.of(host).read();
    if (info.isSupported()) {
      String where = host.isSystem() ? "this machine" : "the tree at " + host.path();
      out.println("   The policies of " + where + " (read only: the demo changes nothing):");
      CpuFreqCommand.printText(info, out, "   ");
      ThermalCommand.printText(Thermal.of(host).read(), out, "   ");
      out.println("   Change one as a transaction: edgectl cpufreq set --policy N --governor G (as root).");
      out.println();
      return;
    }
    String reason = ((Availability.Unavailable<?>) info.policies()).reason();
    out.println("   " + (host.isSystem() ? "This machine" : "The tree at " + host.path())
        + " has no CPU frequency state to show: " + reason + ".");
    ThermalCommand.printText(Thermal.of(host).read(), out, "   ");
    try (BundledFixture pi = BundledFixture.open("rpi4")) {
      out.println("   So here is the bundled Raspberry Pi 4 fixture instead. It is NOT this machine: a "
          + pi.device() + " tree copied to a temporary directory, with values from public documentation"
          + " (the fixture's note says which).");
      HostRoot fixture = HostRoot.of(pi.dir());
      CpuFreq cpufreq = CpuFreq.of(fixture);
      CpuFreqCommand.printText(cpufreq.read(), out, "   ");
      ThermalCommand.printText(Thermal.of(fixture).read(), out, "   ");
      out.println("   A change is one transaction, validated before any file is touched. On the fixture copy:");
      try {
        cpufreq.change(0).governor("turbo").apply();
      } catch (EdgeException e) {
        out.println("   - governor turbo      refused: " + e.problem());
      }
      try {
        cpufreq.change(0).maxKHz(2_000_000).apply();
      } catch (EdgeException e) {
        out.println("   - max 2000000 kHz     refused: " + e.problem());
      }
      try (AppliedChange change = cpufreq.change(0)
          .governor("performance").maxKHz(1_200_000).restoreOnClose(true).apply()) {
        for (SettingResult s : change.settings()) {
          out.println("   - " + s.attribute() + " " + s.previous() + " -> " + s.requested()
              + ", reads back " + s.effective());
        }
      }
      out.println("   - closed with restoreOnClose: governor "
          + cpufreq.policy(0).governor() + ", max " + cpufreq.policy(0).maxKHz() + " kHz again");
    }
    out.println();
  }
}
