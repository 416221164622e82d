package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.edgesdk.api.Availability;
import org.edgesdk.linux.HostInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgectl host}: the kernel, architecture, host name and online CPUs.
 *
 * <p>JSON: {@code {"root": string, "kernelRelease": string|null, "kernelVersion": string|null,
 * "architecture": string|null, "hostname": string|null, "onlineCpus": [int]|null, "unavailable":
 * {field: reason}}}.
 */
@Command(
    name = "host",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Show the kernel, architecture, host name and online CPUs.")
final class HostCommand implements Runnable {
  @Mixin RootOption root;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    HostInfo info = HostInfo.read(root.root());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, toJson(info));
      return;
    }
    out.println("root           " + info.root().path());
    out.println("kernel         " + text(info.kernelRelease()));
    out.println("build          " + text(info.kernelVersion()));
    out.println("architecture   " + text(info.architecture()));
    out.println("hostname       " + text(info.hostname()));
    out.println("online CPUs    " + text(info.onlineCpus().map(c -> c + " (" + c.size() + ")")));
    out.flush();
  }

  static ObjectNode toJson(HostInfo info) {
    ObjectNode node = Json.object();
    ObjectNode unavailable = Json.object();
    node.put("root", info.root().path().toString());
    Json.putText(node, "kernelRelease", info.kernelRelease(), unavailable);
    Json.putText(node, "kernelVersion", info.kernelVersion(), unavailable);
    Json.putText(node, "architecture", info.architecture(), unavailable);
    Json.putText(node, "hostname", info.hostname(), unavailable);
    Json.putCpus(node, "onlineCpus", info.onlineCpus(), unavailable);
    node.set("unavailable", unavailable);
    return node;
  }

  static String text(Availability<String> value) {
    return value instanceof Availability.Unavailable<String> u
        ? "unknown (" + u.reason() + ")"
        : value.orElseThrow();
  }
}
