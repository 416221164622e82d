package org.edgesdk.examples.edgectl;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgesdk.api.HostRoot;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --root DIR} option shared by every Linux subcommand. */
final class RootOption {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  private HostRoot root = HostRoot.system();

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Directory standing in for / (with sys/, proc/, etc/, run/, dev/ below it), for example a"
              + " fixture tree or a container's root. Default: / (this machine).")
  void setRoot(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(
          mixee.commandLine(),
          "--root " + dir + " is not a directory; give a directory that holds sys/, proc/ and etc/");
    }
    root = HostRoot.of(dir);
  }

  HostRoot root() {
    return root;
  }
}
