package org.edgesdk.store.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.api.store.spi.Transport;
import org.edgesdk.store.DurableQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP transport against a real in-test HTTP server (com.sun.net.httpserver) on loopback. */
class HttpTransportTest {
  /** One scripted answer: status, headers, body, delay before answering. */
  record Answer(int status, Map<String, String> headers, String body, Duration delay) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), "", Duration.ZERO);
    }
  }

  private HttpServer server;
  private final BlockingQueue<Answer> script = new ArrayBlockingQueue<>(100);
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> keys = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private URI uri;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/ingest", this::handle);
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ingest");
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Answer a = script.poll();
    if (a == null) {
      a = Answer.of(200);
    }
    if (!a.delay().isZero()) {
      try {
        release.await(a.delay().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (a.status() / 100 == 2) {
      bodies.add(body);
      keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
    }
    a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  private static Message message(String text) {
    return new Message(java.util.UUID.randomUUID().toString(), 1, "default", 4, Map.of("type", "t\"1"),
        text.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-27T12:00:00Z"), Optional.empty(), 0);
  }

  private HttpTransport transport() {
    return HttpTransport.builder(uri).timeouts(Duration.ofSeconds(2), Duration.ofMillis(700))
        .clock(Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC)).build();
  }

  @Test
  void send_2xx_deliversJsonBatchWithIdsAsIdempotencyKey() {
    Message a = message("hello");
    Message b = message("world");
    script.add(Answer.of(204));
    assertEquals(SendResult.delivered(), transport().send(List.of(a, b)));
    assertEquals(a.id() + "," + b.id(), keys.get(0));
    String body = bodies.get(0);
    assertTrue(body.contains("\"id\":\"" + a.id() + "\""), body);
    assertTrue(body.contains("\"payload\":\"" + Base64.getEncoder().encodeToString("world".getBytes(StandardCharsets.UTF_8))
        + "\""), body);
    assertTrue(body.contains("\"type\":\"t\\\"1\""), "headers JSON-escaped: " + body);
  }

  @Test
  void send_500_failsCountedWithBody() {
    script.add(new Answer(500, Map.of(), "database down", Duration.ZERO));
    SendResult r = transport().send(List.of(message("x")));
    assertInstanceOf(SendResult.Failed.class, r);
    assertTrue(((SendResult.Failed) r).reason().contains("HTTP 500") && ((SendResult.Failed) r).reason()
        .contains("database down"));
  }

  @Test
  void send_429WithRetryAfterSeconds_isUnavailableForThatLong() {
    script.add(new Answer(429, Map.of("Retry-After", "7"), "", Duration.ZERO));
    SendResult r = transport().send(List.of(message("x")));
    assertEquals(new SendResult.Unavailable("HTTP 429 from " + uri, Optional.of(Duration.ofSeconds(7))), r);
  }

  @Test
  void send_503WithRetryAfterDate_isUnavailableUntilThatDate() {
    script.add(new Answer(503, Map.of("Retry-After", "Fri, 27 Nov 2026 12:01:30 GMT"), "", Duration.ZERO));
    SendResult r = transport().send(List.of(message("x")));
    assertEquals(Optional.of(Duration.ofSeconds(90)), ((SendResult.Unavailable) r).retryAfter());
  }

  @Test
  void send_other4xx_rejectsWithStatusAndBodyInTheReason() {
    script.add(new Answer(422, Map.of(), "{\"error\":\"schema\"}", Duration.ZERO));
    SendResult r = transport().send(List.of(message("x")));
    assertEquals(new SendResult.Rejected("HTTP 422 from " + uri + ": {\"error\":\"schema\"}"), r);
  }

  @Test
  void send_slowAnswerWithinTimeout_delivers() {
    script.add(new Answer(200, Map.of(), "", Duration.ofMillis(200)));
    assertEquals(SendResult.delivered(), transport().send(List.of(message("x"))));
  }

  @Test
  void send_answerSlowerThanTimeout_isUnavailableWithinTheBound() {
    script.add(new Answer(200, Map.of(), "", Duration.ofSeconds(30)));
    SendResult r = transport().send(List.of(message("x")));
    assertInstanceOf(SendResult.Unavailable.class, r);
    assertTrue(((SendResult.Unavailable) r).reason().contains("PT0.7S") || ((SendResult.Unavailable) r).reason()
        .contains("timed out"), r.toString());
  }

  @Test
  void send_nothingListening_isUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    SendResult r = HttpTransport.builder(URI.create("http://127.0.0.1:" + port + "/x")).build()
        .send(List.of(message("x")));
    assertInstanceOf(SendResult.Unavailable.class, r);
  }

  @Test
  void forwarder_throughErrorsAndThrottling_deliversEveryIdAndDeadLettersTheRejected(@TempDir Path dir)
      throws Exception {
    script.add(new Answer(500, Map.of(), "oops", Duration.ZERO));
    script.add(new Answer(429, Map.of("Retry-After", "0"), "", Duration.ZERO));
    script.add(new Answer(503, Map.of(), "", Duration.ZERO));
    script.add(new Answer(200, Map.of(), "", Duration.ofSeconds(30)));  // times out
    script.add(new Answer(400, Map.of(), "bad batch", Duration.ZERO));
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).cursors("cloud").build())) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        ids.add(q.enqueue(NewMessage.of(("m" + i).getBytes(StandardCharsets.UTF_8))).messageId());
      }
      q.enqueue(NewMessage.of(new byte[1])).await();
      try (Forwarder f = Forwarder.builder(q).random(new Random(9))
          .destination(Destination.builder("cloud", transport()).maxBatch(10, 1 << 20)
              .backoff(Duration.ofMillis(5), Duration.ofMillis(50), 2).build()).build()) {
        f.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          DestinationStatus s = f.status("cloud");
          if (s.acknowledged() + s.deadLettered() >= 61) {
            break;
          }
          Thread.sleep(20);
        }
        DestinationStatus s = f.status("cloud");
        assertEquals(61, s.acknowledged() + s.deadLettered(), s.toString());
        assertEquals(10, s.deadLettered(), "one rejected batch of 10");
      }
      Set<String> received = new LinkedHashSet<>();
      Pattern id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
      for (String body : bodies) {
        Matcher m = id.matcher(body);
        while (m.find()) {
          received.add(m.group(1));
        }
      }
      List<Message> dead = q.deadLetterCursor().peek(100);
      Set<String> accounted = new LinkedHashSet<>(received);
      dead.forEach(m -> accounted.add(m.id()));
      assertTrue(accounted.containsAll(ids), "every id delivered or dead-lettered");
      assertTrue(dead.get(0).headers().get("edgesdk.deadLetter.reason").contains("bad batch"));
    }
  }

  @Test
  void transports_byScheme_findHttpAndRefuseUnknown() {
    Transport t = Transports.create(uri, Map.of("requestTimeout", "PT1S", "header.Authorization", "Bearer x"));
    assertInstanceOf(HttpTransport.class, t);
    EdgeException e = assertThrows(EdgeException.class, () -> Transports.create(URI.create("gopher://h/x"), Map.of()));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertThrows(IllegalArgumentException.class, () -> Transports.create(uri, Map.of("bogus", "1")));
    assertThrows(IllegalArgumentException.class, () -> HttpTransport.builder(URI.create("ftp://h/")));
  }
}
