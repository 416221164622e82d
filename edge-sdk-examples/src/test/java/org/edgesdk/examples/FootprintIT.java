package org.edgesdk.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The static footprint budget (scripts/footprint-jars.sh measures the same): the SDK's own jars
 * together stay under 1.5 MB. The timing and heap budgets are measured by scripts, not tests.
 */
class FootprintIT {
  private static final Path REACTOR = Path.of(System.getProperty("edgesdk.reactorDir", ".."));
  private static final String VERSION = System.getProperty("edgesdk.version", "0.1.0-SNAPSHOT");
  private static final long BUDGET = 1536L * 1024;

  @Test
  void sdkJars_together_stayUnderOnePointFiveMegabytes() throws IOException {
    long total = 0;
    StringBuilder sizes = new StringBuilder();
    for (String artifact : List.of("edge-sdk-api", "edge-sdk-linux", "edge-sdk-store", "edge-sdk-ota")) {
      Path jar = REACTOR.resolve(artifact).resolve("target").resolve(artifact + "-" + VERSION + ".jar");
      assertTrue(Files.isRegularFile(jar), jar + " is not built");
      total += Files.size(jar);
      sizes.append(artifact).append(' ').append(Files.size(jar)).append(" B; ");
    }
    assertTrue(total <= BUDGET, "the SDK's jars total " + total + " bytes, over " + BUDGET + ": " + sizes);
  }
}
