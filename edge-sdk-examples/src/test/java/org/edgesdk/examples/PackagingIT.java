package org.edgesdk.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Checks the built artifacts from outside, as a user sees them after {@code mvn install}. */
class PackagingIT {

  private static final Path REACTOR = Path.of(System.getProperty("edgesdk.reactorDir", ".."));
  private static final String VERSION = System.getProperty("edgesdk.version", "0.1.0-SNAPSHOT");

  @ParameterizedTest
  @CsvSource({
    "edge-sdk-api, org.edgesdk.api",
    "edge-sdk-linux, org.edgesdk.linux",
    "edge-sdk-store, org.edgesdk.store",
    "edge-sdk-ota, org.edgesdk.ota",
    "edge-sdk-examples, org.edgesdk.examples"
  })
  void moduleJar_describesItselfWithItsExplicitName(String artifact, String moduleName) {
    Path jar = REACTOR.resolve(artifact).resolve("target").resolve(artifact + "-" + VERSION + ".jar");
    assertTrue(Files.isRegularFile(jar), "missing " + jar + "; run mvn package first");
    ToolProvider jarTool = ToolProvider.findFirst("jar").orElseThrow();
    StringWriter out = new StringWriter();
    int status = jarTool.run(
        new PrintWriter(out), new PrintWriter(out), "--describe-module", "--file", jar.toString());
    assertEquals(0, status, out.toString());
    String firstLine = out.toString().lines().findFirst().orElse("");
    assertTrue(firstLine.startsWith(moduleName + "@" + VERSION + " "), out.toString());
    assertTrue(firstLine.contains("module-info.class"),
        "an explicit module names its module-info.class, an automatic one does not: " + out);
  }

  @Test
  void edgectlJar_runsAlone_withNothingElseOnTheClassPath() throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("edgesdk.edgectlJar", "target/edgectl.jar"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(), "--version"))
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "edgectl --version did not finish in 60 s");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.startsWith("edgectl " + VERSION), output);
  }
}
