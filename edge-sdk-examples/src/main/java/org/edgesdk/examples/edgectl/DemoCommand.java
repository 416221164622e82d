package org.edgesdk.examples.edgectl;

import java.io.PrintWriter;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.HostInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code edgectl demo}: the SDK's main job on this machine, with embedded defaults and no device or
 * server. Each module adds its chapter as it lands.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Walk through what the Edge SDK does, on this machine, with no device or server.")
final class DemoCommand implements Runnable {
  @Mixin RootOption root;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    HostRoot host = root.root();
    out.println("Edge SDK " + VersionProvider.sdkVersion() + " demo"
        + (host.isSystem() ? " on this machine" : " on the tree at " + host.path())
        + ": no device and no server needed.");
    out.println();
    out.println("1. The host, read through sysfs and procfs");
    HostInfo info = HostInfo.read(host);
    out.println("   kernel   " + HostCommand.text(info.kernelRelease())
        + " on " + HostCommand.text(info.architecture()));
    out.println("   build    " + HostCommand.text(info.kernelVersion()));
    out.println("   CPUs     " + HostCommand.text(
        info.onlineCpus().map(c -> c.size() + " online (" + c + ")")));
    out.println("   Java     " + Runtime.version() + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    out.println();
    int chapter = 2;
    PostureChapter.print(chapter++, host, out);
    CpuFreqChapter.print(chapter++, host, out);
    RtChapter.print(chapter++, host, out);
    QueueChapter.print(out, chapter++);
    OtaChapter.print(chapter++, out);
    AbChapter.print(chapter++, out);
    out.println("Done. Run 'edgectl --help' for every command, or add --json for machine-readable output.");
    out.flush();
  }
}
