package org.edgesdk.ota.tuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.internal.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the npm TUF implementation, both ways: repositories made by
 * {@code @tufjs/repo-mock} (on {@code @tufjs/models}) are accepted by our client, and repositories
 * our publisher writes are accepted by the {@code tuf-js} client over HTTP on loopback. Needs
 * {@code node} on the PATH and {@code npm ci} run in {@code src/test/node} (as {@code .ci/run}
 * does); skipped with the reason otherwise.
 */
class NodeInteropTest {
  private static Path nodeDir;

  @TempDir Path tmp;

  @BeforeAll
  static void requireNodeAndPackages() {
    String dir = System.getProperty("edgesdk.nodeDir", "src/test/node");
    nodeDir = Path.of(dir).toAbsolutePath();
    Assumptions.assumeTrue(onPath("node"), "node is not on the PATH (install Debian's nodejs)");
    for (String pkg : List.of("tuf-js", "@tufjs/models", "@tufjs/repo-mock")) {
      Assumptions.assumeTrue(Files.isDirectory(nodeDir.resolve("node_modules").resolve(pkg)),
          pkg + " is not installed; run 'npm ci' in " + nodeDir + " (.ci/run does)");
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private record Result(int exit, String stdout, String stderr) {}

  private static Result node(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", nodeDir.resolve(script).toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(nodeDir.toFile()).start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node " + script + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void ourClient_acceptsRepositoryMadeByTufjsRepoMock() throws Exception {
    Path repo = tmp.resolve("tufjs-repo");
    Result made = node("make-repo.mjs", repo.toString(), "fw/modem.bin=modem firmware", "app.img=application");
    assertEquals(0, made.exit(), made.stderr());

    TufClient client = TufClient.builder()
        .repository(repo.toUri())
        .trustedRoot(repo.resolve("metadata/1.root.json"))
        .stateDirectory(tmp.resolve("state"))
        .clock(Clock.systemUTC()) // repo-mock writes metadata that expires a year from now
        .build();
    client.refresh();
    assertEquals(List.of("app.img", "fw/modem.bin"), client.targets().stream().map(TargetDescription::name).toList());
    Path out = tmp.resolve("modem.bin");
    client.download(client.target("fw/modem.bin").orElseThrow(), out);
    assertEquals("modem firmware", Files.readString(out));
  }

  @Test
  void ourClient_refusesTufjsRepository_whenItsTargetsAreTamperedWith() throws Exception {
    Path repo = tmp.resolve("tufjs-repo");
    assertEquals(0, node("make-repo.mjs", repo.toString(), "app.img=application").exit());
    Path targets = repo.resolve("metadata/targets.json");
    Files.writeString(targets, Files.readString(targets).replace("\"length\":11", "\"length\":12"));
    TufClient client = TufClient.builder().repository(repo.toUri())
        .trustedRoot(repo.resolve("metadata/1.root.json")).stateDirectory(tmp.resolve("state")).build();
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, client::refresh);
    assertEquals(Refusal.MIX_AND_MATCH, e.refusal(), e.getMessage()); // snapshot pins targets.json's hash
  }

  @Test
  void tufjsClient_acceptsRepositoryWePublish() throws Exception {
    // Real time: tuf-js checks expiry against the system clock.
    TestRepo ours = new TestRepo(Files.createDirectory(tmp.resolve("ours")), KeyType.ECDSA_P256);
    ours.clock.advance(Duration.between(TestRepo.START, java.time.Instant.now()));
    ours.addTarget("rootfs-2.0.img", "rootfs two", UpdateFields.release("2.0").withSecurityVersion(4));
    ours.publisher.rotateKeys("root", KeyType.ED25519); // tuf-js must walk root 1 -> 2
    ours.publish();
    try (StaticServer server = new StaticServer(ours.publisher.repositoryDir())) {
      Path out = tmp.resolve("fetched.img");
      Result r = node("client.mjs", server.uri().toString(), ours.metadata("1.root.json").toString(),
          tmp.resolve("cache").toString(), "rootfs-2.0.img", out.toString());
      assertEquals(0, r.exit(), r.stdout() + r.stderr());
      JsonNode json = Json.parse(r.stdout().strip().getBytes(StandardCharsets.UTF_8), "client.mjs output");
      assertTrue(json.get("ok").asBoolean());
      assertEquals(4, json.get("custom").get("edgesdk").get("securityVersion").asInt());
      assertEquals("rootfs two", Files.readString(out));
    }
  }

  @Test
  void tufjsClient_refusesOurRepository_whenExpired() throws Exception {
    TestRepo ours = new TestRepo(Files.createDirectory(tmp.resolve("ours")), KeyType.ED25519);
    ours.clock.advance(Duration.between(TestRepo.START, java.time.Instant.now()).minusDays(30));
    ours.addTarget("rootfs-2.0.img", "rootfs two", UpdateFields.release("2.0"));
    ours.publish(); // expired 23 days ago in real time
    try (StaticServer server = new StaticServer(ours.publisher.repositoryDir())) {
      Result r = node("client.mjs", server.uri().toString(), ours.metadata("1.root.json").toString(),
          tmp.resolve("cache").toString(), "rootfs-2.0.img", tmp.resolve("x").toString());
      assertEquals(1, r.exit(), r.stdout() + r.stderr());
      assertTrue(r.stdout().contains("xpired"), r.stdout());
      assertFalse(Files.exists(tmp.resolve("x")));
    }
  }
}
