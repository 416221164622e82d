package org.edgesdk.ota.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
  private static final Path NGINX = Nginx.BINARY;

  @TempDir Path tmp;

  private Nginx server;

  @AfterEach
  void stopNginx() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private URI startNginx(Path docroot) throws IOException, InterruptedException {
    server = Nginx.start(docroot, tmp.resolve("nginx"));
    return server.uri();
  }

  /** A client of the repository served at {@code base}, its metadata refreshed. */
  private TufClient refreshedClient(TestRepo repo, URI base) throws Exception {
    TufClient client = TufClient.builder()
        .repository(base)
        .timeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 1024))
        .trustedRoot(repo.read("1.root.json"))
        .stateDirectory(tmp.resolve("state"))
        .clock(repo.clock)
        .build();
    client.refresh();
    return client;
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

    TufClient client = refreshedClient(repo, base);
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
    TufClient client = refreshedClient(repo, base);
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
