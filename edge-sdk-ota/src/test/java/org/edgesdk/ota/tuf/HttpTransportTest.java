package org.edgesdk.ota.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.repo.UpdateFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP transport against real HTTP servers on loopback. */
class HttpTransportTest {
  @TempDir Path tmp;

  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer raw;

  @AfterEach
  void tearDown() {
    release.countDown();
    if (raw != null) {
      raw.stop(0);
    }
  }

  private static final Timeouts SHORT =
      new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(1000), Duration.ofSeconds(10), 1024);
  /**
   * For the endless-data tests: a stall timeout long enough that a loaded machine never turns the
   * refusal they check into a slow-retrieval one (a 1 s stall did once in CI).
   */
  private static final Timeouts PATIENT =
      new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10), 1024);

  /** A server whose every response is produced by the handler. */
  private URI rawServer(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    raw = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    raw.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    raw.createContext("/", handler);
    raw.start();
    return URI.create("http://127.0.0.1:" + raw.getAddress().getPort() + "/");
  }

  /** A server that announces 1000 bytes, sends 10 and then stalls until the test releases it. */
  private URI stallingServer() throws IOException {
    return rawServer(exchange -> {
      exchange.sendResponseHeaders(200, 1000);
      OutputStream out = exchange.getResponseBody();
      out.write(new byte[10]);
      out.flush();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
  }

  @Test
  @DisplayName("slow retrieval: a body that stalls fails within the stall timeout")
  void fetch_stalledBody_refusedAsSlowRetrieval() throws IOException {
    URI base = stallingServer();
    Transport transport = Transport.of(base, SHORT);
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class,
        () -> transport.fetch("metadata/timestamp.json", 16384));
    assertEquals(Refusal.SLOW_RETRIEVAL, e.refusal());
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertTrue(e.problem().contains("sent nothing for 1000 ms after 10 bytes"), e.problem());
  }

  @Test
  @DisplayName("slow retrieval: a streamed target that stalls fails within the stall timeout")
  void open_stalledBody_refusedAsSlowRetrieval() throws IOException {
    URI base = stallingServer();
    try (java.io.InputStream in = Transport.of(base, SHORT).open("targets/x.img", 0, 1000)) {
      assertEquals(10, in.readNBytes(10).length);
      RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, in::read);
      assertEquals(Refusal.SLOW_RETRIEVAL, e.refusal());
      assertTrue(e.problem().contains("sent nothing for 1000 ms after 10 bytes"), e.problem());
    }
  }

  @Test
  @DisplayName("endless data: a streamed target past its length is cut off")
  void open_endlessBody_refusedAsEndlessData() throws IOException {
    URI base = rawServer(exchange -> {
      exchange.sendResponseHeaders(200, 0); // chunked, no declared length
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 1000 && release.getCount() > 0; i++) {
          out.write(new byte[8192]);
        }
      } catch (IOException e) {
        // the client hung up, as it should
      }
    });
    try (java.io.InputStream in = Transport.of(base, PATIENT).open("targets/x.img", 0, 20_000)) {
      RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> in.transferTo(java.io.OutputStream.nullOutputStream()));
      assertEquals(Refusal.ENDLESS_DATA, e.refusal());
    }
  }

  @Test
  void open_missingFile_notFound() throws IOException {
    try (StaticServer server = new StaticServer(tmp)) {
      org.edgesdk.api.EdgeException e = assertThrows(org.edgesdk.api.EdgeException.class,
          () -> Transport.of(server.uri(), SHORT).open("targets/none.img", 0, 10));
      assertEquals(ErrorCode.NOT_FOUND, e.code());
      assertThrows(IllegalArgumentException.class, () -> Transport.of(server.uri(), SHORT).open("targets/none.img", 11, 10));
    }
  }

  @Test
  @DisplayName("slow retrieval: headers that never come fail within the connect timeout")
  void fetch_noHeaders_refusedAsSlowRetrieval() throws IOException {
    URI base = rawServer(exchange -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class,
        () -> Transport.of(base, SHORT).fetch("metadata/timestamp.json", 16384));
    assertEquals(Refusal.SLOW_RETRIEVAL, e.refusal());
  }

  @Test
  @DisplayName("endless data: a body past the limit is cut off")
  void fetch_endlessBody_refusedAsEndlessData() throws IOException {
    URI base = rawServer(exchange -> {
      exchange.sendResponseHeaders(200, 0); // chunked, no declared length
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 1000 && release.getCount() > 0; i++) {
          out.write(new byte[8192]);
        }
      } catch (IOException e) {
        // the client hung up, as it should
      }
    });
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class,
        () -> Transport.of(base, PATIENT).fetch("metadata/timestamp.json", 16384));
    assertEquals(Refusal.ENDLESS_DATA, e.refusal());
  }

  @Test
  void fetch_missingFile_isEmpty() throws IOException {
    try (StaticServer server = new StaticServer(tmp)) {
      assertTrue(Transport.of(server.uri(), SHORT).fetch("metadata/1.root.json", 100).isEmpty());
    }
  }

  @Test
  @DisplayName("HTTP Range resume of a target")
  void download_partialFile_resumedWithRange() throws IOException {
    Files.writeString(tmp.resolve("image.bin"), "0123456789abcdef");
    Path partial = tmp.resolve("out.part");
    Files.writeString(partial, "012345");
    try (StaticServer server = new StaticServer(tmp)) {
      Transport.of(server.uri(), SHORT).download("image.bin", 16, partial);
      assertEquals("0123456789abcdef", Files.readString(partial));
      assertEquals(List.of("/image.bin bytes=6-"), server.requests);
    }
  }

  @Test
  void download_serverIgnoringRange_restartsFromTheBeginning() throws IOException {
    Files.writeString(tmp.resolve("image.bin"), "0123456789abcdef");
    Path partial = tmp.resolve("out.part");
    Files.writeString(partial, "012345");
    try (StaticServer server = new StaticServer(tmp)) {
      server.honourRange = false;
      Transport.of(server.uri(), SHORT).download("image.bin", 16, partial);
      assertEquals("0123456789abcdef", Files.readString(partial));
    }
  }

  @Test
  void open_serverIgnoringRange_skipsToTheOffset() throws IOException {
    byte[] image = new byte[3 << 20]; // several read-ahead buffers
    new java.util.Random(7).nextBytes(image);
    Files.write(tmp.resolve("image.bin"), image);
    try (StaticServer server = new StaticServer(tmp)) {
      server.honourRange = false;
      try (java.io.InputStream in = Transport.of(server.uri(), SHORT).open("image.bin", 1_500_000, image.length)) {
        assertArrayEquals(java.util.Arrays.copyOfRange(image, 1_500_000, image.length), in.readAllBytes());
      }
    }
  }

  @Test
  void open_closedBeforeTheEnd_noReaderThreadLeft() throws IOException {
    byte[] image = new byte[8 << 20];
    Files.write(tmp.resolve("image.bin"), image);
    try (StaticServer server = new StaticServer(tmp)) {
      java.io.InputStream in = Transport.of(server.uri(), SHORT).open("image.bin", 0, image.length);
      assertEquals(1000, in.readNBytes(1000).length);
      in.close();
      assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
          .map(Thread::getName).filter("edgesdk-ota-fetch"::equals).toList(), "the reader thread ended with close()");
      assertThrows(IOException.class, in::read);
    }
  }

  @Test
  @DisplayName("a slow consumer is not a slow server: lent buffers held past the stall timeout do not refuse the body")
  void open_consumerHoldsLentBuffersPastTheStall_notRefused() throws Exception {
    byte[] image = new byte[16 << 20]; // twice the read-ahead ring: the reader waits for lent buffers
    new java.util.Random(7).nextBytes(image);
    Files.write(tmp.resolve("image.bin"), image);
    Timeouts stall300 = new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(30), 1024);
    try (StaticServer server = new StaticServer(tmp);
        java.io.InputStream in = Transport.of(server.uri(), stall300).open("image.bin", 0, image.length)) {
      org.edgesdk.ota.tuf.internal.Lending body = (org.edgesdk.ota.tuf.internal.Lending) in;
      java.util.List<org.edgesdk.ota.tuf.internal.Lending.Loan> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread slowDisk = new Thread(() -> { // like a slot writer stuck in a long fsync
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        synchronized (held) {
          holding.set(false);
          held.forEach(org.edgesdk.ota.tuf.internal.Lending.Loan::release);
        }
      });
      slowDisk.start();
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      org.edgesdk.ota.tuf.internal.Lending.Loan loan;
      while ((loan = body.lend(Integer.MAX_VALUE)) != null) {
        got.write(loan.array(), loan.offset(), loan.length());
        synchronized (held) {
          if (holding.get()) {
            held.add(loan);
          } else {
            loan.release();
          }
        }
      }
      slowDisk.join();
      assertTrue(held.size() >= 8, "the test held the whole ring (" + held.size() + " loans) past the stall timeout");
      assertArrayEquals(image, got.toByteArray());
    }
  }

  @Test
  @DisplayName("a slow disk is not a slow server: a download whose file write blocks past the stall timeout is not refused")
  void download_fileWriteBlockedPastTheStall_notRefused() throws Exception {
    Path mkfifo = Path.of("/usr/bin/mkfifo");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(mkfifo), "needs " + mkfifo + " (coreutils)");
    byte[] image = new byte[2 << 20];
    new java.util.Random(11).nextBytes(image);
    Files.write(tmp.resolve("image.bin"), image);
    // the partial file is a FIFO that nobody reads for 1 s: the download's writes block, like a stuck disk
    Path partial = tmp.resolve("out.part");
    assertEquals(0, new ProcessBuilder(mkfifo.toString(), partial.toString()).start().waitFor());
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    Thread slowDisk = new Thread(() -> {
      try (java.io.InputStream in = Files.newInputStream(partial)) {
        Thread.sleep(1000);
        in.transferTo(got);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    slowDisk.start();
    Timeouts stall300 = new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(30), 1024);
    try (StaticServer server = new StaticServer(tmp)) {
      Transport.of(server.uri(), stall300).download("image.bin", image.length, partial);
    }
    slowDisk.join();
    assertArrayEquals(image, got.toByteArray());
  }

  @Test
  void download_targetLongerThanDeclared_refusedAsEndlessData() throws IOException {
    Files.writeString(tmp.resolve("image.bin"), "0123456789abcdef");
    try (StaticServer server = new StaticServer(tmp)) {
      RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class,
          () -> Transport.of(server.uri(), SHORT).download("image.bin", 8, tmp.resolve("out.part")));
      assertEquals(Refusal.ENDLESS_DATA, e.refusal());
    }
  }

  @Test
  @DisplayName("the whole client over HTTP, with an interrupted download resumed")
  void client_overHttp_refreshesAndResumesATargetDownload() throws IOException {
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    String content = "A".repeat(5000) + "B".repeat(5000);
    repo.addTarget("rootfs.img", content, UpdateFields.release("2.0"));
    repo.publish();
    try (StaticServer server = new StaticServer(repo.publisher.repositoryDir())) {
      TufClient client = TufClient.builder()
          .repository(server.uri())
          .timeouts(SHORT)
          .trustedRoot(repo.read("1.root.json"))
          .stateDirectory(tmp.resolve("state"))
          .clock(repo.clock)
          .build();
      client.refresh();
      TargetDescription target = client.target("rootfs.img").orElseThrow();
      Path out = tmp.resolve("rootfs.img");
      Files.writeString(tmp.resolve("rootfs.img.part"), content.substring(0, 4000)); // interrupted earlier
      client.download(target, out);
      assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(out));
      assertTrue(server.requests.contains("/targets/" + target.hashes().get("sha256") + ".rootfs.img bytes=4000-"),
          server.requests.toString());
      assertFalse(Files.exists(tmp.resolve("rootfs.img.part")));
    }
  }

  @Test
  @DisplayName("test_unusual_role_name / test_quoting_issues")
  void client_overHttp_roleAndTargetNamesNeedingQuoting() throws IOException {
    TestRepo repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    repo.publisher.delegate("my apps ä", List.of("apps dir/*"), false, KeyType.ED25519);
    Path file = Files.writeString(tmp.resolve("f"), "quoted");
    repo.publisher.addTarget("my apps ä", file, "apps dir/a b+c.img", UpdateFields.release("1"));
    repo.publish();
    try (StaticServer server = new StaticServer(repo.publisher.repositoryDir())) {
      TufClient client = TufClient.builder().repository(server.uri()).timeouts(SHORT)
          .trustedRoot(repo.read("1.root.json")).stateDirectory(tmp.resolve("state")).clock(repo.clock).build();
      client.refresh();
      Path out = tmp.resolve("out.img");
      client.download(client.target("apps dir/a b+c.img").orElseThrow(), out);
      assertEquals("quoted", Files.readString(out));
    }
  }
}
