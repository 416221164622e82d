package org.edgesdk.examples.edgectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class EdgectlTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private CommandLine cli() {
    return Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private int run(String... args) {
    return cli().execute(args);
  }

  private void write(String systemPath, String content) throws IOException {
    Path file = dir.resolve(systemPath.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void version_printsSdkVersion_exitsZero() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString().startsWith("edgectl 0.1.0-SNAPSHOT"), out.toString());
  }

  @Test
  void noSubcommand_isUsageError_exitTwo_oneLineOnStderr() {
    assertEquals(2, run());
    String line = err.toString().strip();
    assertFalse(line.contains("\n"), line);
    assertTrue(line.startsWith("edgectl: usage error: missing a subcommand; fix:"), line);
  }

  @Test
  void unknownOption_isUsageError_namingTheOptionAndTheHelp() {
    assertEquals(2, run("host", "--frobnicate"));
    String line = err.toString().strip();
    assertFalse(line.contains("\n"), line);
    assertTrue(line.contains("--frobnicate"), line);
    assertTrue(line.contains("see 'edgectl host --help'"), line);
    assertEquals("", out.toString());
  }

  @Test
  void rootThatIsNotADirectory_isUsageError() {
    assertEquals(2, run("host", "--root", dir.resolve("missing").toString()));
    assertTrue(err.toString().contains("is not a directory"), err.toString());
  }

  @Test
  void host_json_onFixture_hasStableFields() throws IOException {
    write("/proc/sys/kernel/osrelease", "5.15.148-tegra\n");
    write("/proc/sys/kernel/arch", "aarch64\n");
    write("/sys/devices/system/cpu/online", "0-5\n");

    assertEquals(0, run("host", "--root", dir.toString(), "--json"));

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(dir.toString(), json.get("root").asText());
    assertEquals("5.15.148-tegra", json.get("kernelRelease").asText());
    assertEquals("aarch64", json.get("architecture").asText());
    assertEquals(6, json.get("onlineCpus").size());
    assertEquals(5, json.get("onlineCpus").get(5).asInt());
    assertTrue(json.get("hostname").isNull());
    assertTrue(json.get("unavailable").get("hostname").asText().contains("/proc/sys/kernel/hostname"));
    assertEquals("", err.toString());
  }

  @Test
  void host_text_onFixture_saysWhatIsUnknown() throws IOException {
    write("/proc/sys/kernel/osrelease", "6.1.0-rpi7-rpi-v8\n");
    assertEquals(0, run("host", "--root", dir.toString()));
    assertTrue(out.toString().contains("kernel         6.1.0-rpi7-rpi-v8"), out.toString());
    assertTrue(out.toString().contains("online CPUs    unknown ("), out.toString());
  }

  @Test
  void demo_onThisMachine_tellsTheStory() {
    assertEquals(0, run("demo"));
    String text = out.toString();
    assertTrue(text.contains("demo on this machine"), text);
    assertTrue(text.contains("kernel   " + System.getProperty("os.version")), text);
    assertTrue(text.contains("Done."), text);
  }

  @Command(name = "fail")
  static final class Failing implements Runnable {
    @CommandLine.Option(names = "--internal")
    boolean internal;

    @Override
    public void run() {
      if (internal) {
        throw new IllegalStateException("state\nbroken");
      }
      throw new EdgeException(
          ErrorCode.PERMISSION_DENIED, "cannot write scaling_governor", "run as root");
    }
  }

  private CommandLine withFailingSubcommand() {
    // Writers are propagated to subcommands when set, so set them again after adding one.
    return cli()
        .addSubcommand(new Failing())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
  }

  @Test
  void edgeException_exitOne_oneLineWithCodeProblemAndFix() {
    CommandLine cli = withFailingSubcommand();
    assertEquals(1, cli.execute("fail"));
    assertEquals(
        "edgectl: error: PERMISSION_DENIED: cannot write scaling_governor; fix: run as root",
        err.toString().strip());
  }

  @Test
  void unexpectedException_exitOne_reportedAsInternalBugOnOneLine() {
    CommandLine cli = withFailingSubcommand();
    assertEquals(1, cli.execute("fail", "--internal"));
    String line = err.toString().strip();
    assertFalse(line.contains("\n"), line);
    assertTrue(line.startsWith("edgectl: error: INTERNAL: java.lang.IllegalStateException: state broken"), line);
    assertTrue(line.contains("fix: this is a bug"), line);
  }
}
