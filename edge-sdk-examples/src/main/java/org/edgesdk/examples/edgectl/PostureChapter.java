package org.edgesdk.examples.edgectl;

import java.io.PrintWriter;
import java.util.List;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.posture.CgroupLimits;
import org.edgesdk.linux.posture.DevicePosture;
import org.edgesdk.linux.posture.Finding;
import org.edgesdk.linux.posture.FindingStatus;
import org.edgesdk.linux.posture.Limit;

/** The demo's posture chapter: this machine's hardening summary and container limits. */
final class PostureChapter {
  private PostureChapter() {}

  static void print(int chapter, HostRoot root, PrintWriter out) {
    out.println(chapter + ". The device posture: is it hardened, and what resources does it really have?");
    DevicePosture p = DevicePosture.read(root, PostureCommand.environmentFor(root, false));
    out.println("   os       " + PostureCommand.text(p.os().map(os ->
        os.prettyName().or(os::name).orElse(os.id()) + " [" + os.distribution() + "]")));
    out.println("   rootfs   " + PostureCommand.text(p.rootFilesystem().map(fs ->
        fs.type() + (fs.readOnly() ? ", read-only" : ", read-write"))));
    out.println("   runtime  " + p.container().runtime().name().toLowerCase(java.util.Locale.ROOT));
    CgroupLimits l = p.container().limits();
    if (l.cgroup().isAvailable()) {
      out.println("   limits   cpu " + brief(l.cpuCores(), " cores") + ", memory "
          + brief(l.memoryMax(), " bytes") + ", pids " + brief(l.pidsMax(), ""));
      for (Limit<?> limit : List.of(l.cpuCores(), l.memoryMax(), l.pidsMax())) {
        if (limit instanceof Limit.Unknown<?> u) {
          out.println("            (unknown: " + u.reason() + ")");
          break;
        }
      }
    } else {
      out.println("   limits   " + PostureCommand.text(l.cgroup()));
    }
    for (Finding f : p.findings()) {
      out.printf("   %-7s %-22s %s%n", f.status(), f.id(), f.detail());
    }
    out.println("   " + p.findings(FindingStatus.PASS).size() + " pass, "
        + p.findings(FindingStatus.WARN).size() + " warn, " + p.findings(FindingStatus.FAIL).size()
        + " fail, " + p.findings(FindingStatus.UNKNOWN).size() + " unknown;"
        + " 'edgectl posture' shows the evidence and a remedy for each.");
    out.println();
  }

  private static String brief(Limit<?> limit, String unit) {
    return limit instanceof Limit.Unknown<?> ? "unknown" : PostureCommand.limit(limit, unit);
  }
}
