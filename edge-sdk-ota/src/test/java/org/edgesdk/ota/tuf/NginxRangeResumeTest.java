package org.edgesdk.ota.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.repo.UpdateFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real static HTTP server, Debian's nginx (installed by .ci/run), serving the
 * published repository directory as is: metadata refresh, then a target download that was interrupted
 * earlier and resumes with an HTTP Range request, which nginx answers with 206.
 */
class NginxRangeResumeTest {
  private static final Path NGINX = Path.of("/usr/sbin/nginx");

  @TempDir Path tmp;

  private Process nginx;

  @AfterEach
  void stopNginx() throws InterruptedException {
    if (nginx != null) {
      nginx.destroy();
      if (!nginx.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        nginx.destroyForcibly();
      }
    }
  }

  private URI startNginx(Path docroot) throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path prefix = Files.createDirectory(tmp.resolve("nginx"));
    // One process running as the test's user (no master, no workers switching to nobody), in the
    // foreground, every path inside the temporary directory.
    String conf = String.join("\n",
        "daemon off;",
        "master_process off;",
        "pid " + prefix.resolve("nginx.pid") + ";",
        "error_log " + prefix.resolve("error.log") + " warn;",
        "events { worker_connections 64; }",
        "http {",
        "  access_log " + prefix.resolve("access.log") + ";",
        "  client_body_temp_path " + prefix.resolve("body") + ";",
        "  proxy_temp_path " + prefix.resolve("proxy") + ";",
        "  fastcgi_temp_path " + prefix.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + prefix.resolve("uwsgi") + ";",
        "  scgi_temp_path " + prefix.resolve("scgi") + ";",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    root " + docroot + ";",
        "  }",
        "}",
        "");
    Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
    nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-e",
        prefix.resolve("error.log").toString(), "-c", confFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(prefix.resolve("stdout.log").toFile())
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return URI.create("http://127.0.0.1:" + port + "/");
      } catch (IOException notYet) {
        assertTrue(nginx.isAlive(), () -> "nginx exited: " + read(prefix.resolve("stdout.log"))
            + read(prefix.resolve("error.log")));
        Thread.sleep(50);
      }
    }
    throw new AssertionError("nginx did not listen on port " + port + " within 15 s: "
        + read(prefix.resolve("error.log")));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void download_interruptedTarget_resumesWithRangeAgainstNginx() throws Exception {
    assumeTrue(Files.isExecutable(NGINX), "needs nginx (Debian package nginx, installed by .ci/run)");
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    byte[] content = ("A".repeat(40_000) + "B".repeat(60_000)).getBytes(StandardCharsets.UTF_8);
    Path image = Files.write(tmp.resolve("image"), content);
    repo.publisher.addTarget(image, "rootfs.img", UpdateFields.release("3.1"));
    repo.publish();
    URI base = startNginx(repo.publisher.repositoryDir());

    TufClient client = TufClient.builder()
        .repository(base)
        .timeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 1024))
        .trustedRoot(repo.read("1.root.json"))
        .stateDirectory(tmp.resolve("state"))
        .clock(repo.clock)
        .build();
    client.refresh();
    TargetDescription target = client.target("rootfs.img").orElseThrow();
    Path out = tmp.resolve("rootfs.img");
    // An earlier download stopped after 40,000 bytes.
    Files.write(tmp.resolve("rootfs.img.part"), java.util.Arrays.copyOf(content, 40_000));

    client.download(target, out);

    assertArrayEquals(content, Files.readAllBytes(out));
    assertFalse(Files.exists(tmp.resolve("rootfs.img.part")));
    List<String> log = Files.readAllLines(tmp.resolve("nginx/access.log"));
    assertTrue(log.stream().anyMatch(l -> l.contains("rootfs.img HTTP/1.1\" 206 60000")),
        "nginx answered the resumed request with 206 and the remaining 60000 bytes: " + log);
  }

  @Test
  void openTarget_streamResumedAtCheckpoint_nginxAnswers206WithTheRest() throws Exception {
    assumeTrue(Files.isExecutable(NGINX), "needs nginx (Debian package nginx, installed by .ci/run)");
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    byte[] content = new byte[1_000_000];
    new java.util.Random(3).nextBytes(content);
    Path image = Files.write(tmp.resolve("image"), content);
    repo.publisher.addTarget(image, "rootfs.img", UpdateFields.release("3.1"));
    repo.publish();
    URI base = startNginx(repo.publisher.repositoryDir());
    TufClient client = TufClient.builder()
        .repository(base)
        .timeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 1024))
        .trustedRoot(repo.read("1.root.json"))
        .stateDirectory(tmp.resolve("state"))
        .clock(repo.clock)
        .build();
    client.refresh();
    TargetDescription target = client.target("rootfs.img").orElseThrow();
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    TargetStream.Checkpoint cp;
    try (TargetStream s = client.openTarget(target)) {
      got.write(s.readNBytes(400_000));
      cp = s.checkpoint(); // the power is cut here; the checkpoint was persisted
    }
    try (TargetStream s = client.openTarget(target, cp)) {
      got.write(s.readAllBytes());
      assertTrue(s.verified());
    }
    assertArrayEquals(content, got.toByteArray());
    List<String> log = Files.readAllLines(tmp.resolve("nginx/access.log"));
    assertTrue(log.stream().anyMatch(l -> l.contains("rootfs.img HTTP/1.1\" 206 600000")),
        "nginx answered the resumed stream with 206 and the remaining 600000 bytes: " + log);
  }
}
