package org.edgesdk.examples.edgectl;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.edgesdk.api.EdgeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code edgectl}, the Edge SDK's command-line tool.
 *
 * <p>Conventions every subcommand follows:
 *
 * <ul>
 *   <li>{@code --json} prints one JSON document with stable, documented field names instead of text.
 *   <li>Exit code 0 on success, 1 when the operation fails, 2 on a usage error.
 *   <li>Errors go to stderr as one line that names the problem and the fix:
 *       {@code edgectl: error: CODE: problem; fix: remedy}.
 *   <li>Linux subcommands take {@code --root DIR}, a directory standing in for {@code /} (with
 *       {@code sys/}, {@code proc/}, {@code etc/}, {@code run/}, {@code dev/} below it), so they run
 *       against fixture trees as well as the live system.
 * </ul>
 */
@Command(
    name = "edgectl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Edge SDK command-line tool: inspect and control a Linux edge device.",
    subcommands = {
      DemoCommand.class,
      HostCommand.class,
      PostureCommand.class,
      CpuFreqCommand.class,
      ThermalCommand.class,
      RtCommand.class,
      QueueCommand.class,
      OtaCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Edgectl implements Runnable {
  /** Exit code of a successful command. */
  public static final int EXIT_OK = 0;
  /** Exit code when the operation failed. */
  public static final int EXIT_FAILED = 1;
  /** Exit code for a usage error (unknown option, missing or malformed argument). */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  Edgectl() {}

  /**
   * Runs {@code edgectl} and exits the JVM with its exit code.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(newCommandLine(out, err).execute(args));
  }

  /**
   * Returns an {@code edgectl} command line that prints to the given writers and maps failures to
   * the documented exit codes and one-line messages. Tests and embedding programs use it instead of
   * {@link #main(String[])}.
   *
   * @param out where normal output goes
   * @param err where errors go
   * @return the configured command line; call {@link CommandLine#execute(String...)} on it
   */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    CommandLine cli = new CommandLine(new Edgectl());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(
        e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILED);
    cli.setParameterExceptionHandler(Edgectl::onUsageError);
    cli.setExecutionExceptionHandler(Edgectl::onFailure);
    return cli;
  }

  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println(
        "edgectl: usage error: " + oneLine(e.getMessage())
            + "; fix: see '" + name + " --help' for the valid options");
    cmd.getErr().flush();
    return EXIT_USAGE;
  }

  private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String message;
    if (e instanceof EdgeException edge) {
      message = edge.oneLine();
    } else {
      message = "INTERNAL: " + e.getClass().getName() + ": " + oneLine(String.valueOf(e.getMessage()))
          + "; fix: this is a bug in edgectl, report it with the command line that caused it";
    }
    cmd.getErr().println("edgectl: error: " + message);
    cmd.getErr().flush();
    return EXIT_FAILED;
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand");
  }
}
