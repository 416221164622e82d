package org.edgesdk.store.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSocketFactory;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.api.store.spi.Transport;
import org.edgesdk.store.DurableQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT transport and the forwarder over TLS ({@code ssl://}) against a real mosquitto TLS
 * listener on loopback, with certificates made by {@link TestPki} (keytool) at test time. The
 * subscriber that checks what arrived uses the broker's plain listener.
 */
class MqttTlsForwarderTest {
  /** The topic {@link MqttForwarderTest.Subscriber} subscribes to (with {@code /#}). */
  private static final String TOPIC = "edge/telemetry";

  @TempDir static Path pkiDir;
  private static TestPki ca;
  /** Signed by the test CA for ip:127.0.0.1 and dns:localhost. */
  private static TestPki.ServerFiles good;
  /** Self-signed: no CA the client trusts vouches for it. */
  private static TestPki.ServerFiles untrusted;
  /** Signed by the test CA for dns:localhost only. */
  private static TestPki.ServerFiles localhostOnly;

  @TempDir Path dir;
  private Mosquitto broker;
  private MqttForwarderTest.Subscriber subscriber;

  @BeforeAll
  static void makeCertificates() throws Exception {
    assumeTrue(Mosquitto.binary().isPresent(),
        "mosquitto is not installed (Debian: apt-get install mosquitto; .ci/run installs it)");
    ca = TestPki.create(pkiDir.resolve("ca"));
    good = ca.issue("server", "ip:127.0.0.1,dns:localhost");
    localhostOnly = ca.issue("localhost-only", "dns:localhost");
    untrusted = TestPki.selfSigned(pkiDir.resolve("rogue"), "rogue", "ip:127.0.0.1,dns:localhost");
  }

  private void startBroker(TestPki.ServerFiles tls) throws Exception {
    broker = Mosquitto.startTls(Mosquitto.binary().orElseThrow(), dir, tls);
    subscriber = new MqttForwarderTest.Subscriber(broker.uri());
  }

  @AfterEach
  void stopBroker() throws Exception {
    if (subscriber != null) {
      subscriber.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    MqttForwarderTest.await(what, timeout, condition);
  }

  private MqttTransport.Builder tls(String uri, SSLSocketFactory factory) {
    return MqttTransport.builder(URI.create(uri), TOPIC).socketFactory(factory)
        .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(3));
  }

  @Test
  void forwarder_overTlsTrustingTheTestCa_everyMessageArrivesAsSentAndIsAckedOnlyAfterPuback() throws Exception {
    startBroker(good);
    Map<String, byte[]> expected = new HashMap<>();
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir.resolve("q")).cursors("mqtt").build())) {
      MqttForwarderTest.enqueue(q, 1000, expected);
      Forwarder f = Forwarder.builder(q).random(new Random(21))
          .destination(Destination.builder("mqtt", tls(broker.tlsUri(), ca.socketFactory()).build())
              .maxBatch(50, 64 * 1024).backoff(Duration.ofMillis(20), Duration.ofMillis(300), 2)
              .maxRate(1000, 50).build())
          .build();
      try {
        f.start();
        await("a quarter of the messages", Duration.ofSeconds(60), () -> subscriber.distinct() >= 250);
        // Freeze the broker: the TLS connection stays open, publishes are written, no PUBACK comes back.
        broker.signal("STOP");
        long ackedAtFreeze = f.status("mqtt").acknowledged();
        await("a publish timed out without PUBACK", Duration.ofSeconds(30),
            () -> f.status("mqtt").consecutiveFailures() >= 1);
        DestinationStatus frozen = f.status("mqtt");
        assertTrue(frozen.sent() > frozen.acknowledged(), "sent without acknowledgement: " + frozen);
        assertTrue(frozen.acknowledged() <= ackedAtFreeze + 50 * 20,
            "acknowledged only what the broker confirmed before it froze: " + frozen);
        assertTrue(frozen.backlog() > 0 && frozen.backlog() + frozen.acknowledged() == expected.size(),
            "the unconfirmed rest stays stored: " + frozen);
        broker.signal("CONT");
        await("every message acknowledged", Duration.ofSeconds(120),
            () -> f.status("mqtt").acknowledged() >= expected.size());
        await("every id at the subscriber", Duration.ofSeconds(30),
            () -> subscriber.counts.keySet().containsAll(expected.keySet()));
      } finally {
        f.stop(Duration.ofSeconds(10));
      }
      for (Map.Entry<String, byte[]> e : expected.entrySet()) {
        assertArrayEquals(e.getValue(), subscriber.payloads.get(e.getKey()), "payload of " + e.getKey());
      }
      assertEquals(0, f.status("mqtt").deadLettered());
      assertEquals(0, f.status("mqtt").backlog());
    }
  }

  @Test
  void forwarder_tlsBrokerKilledAndRestartedMidStream_resumesOverTlsAndLosesNothing() throws Exception {
    startBroker(good);
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir.resolve("q")).cursors("mqtt").build())) {
      // asserts every id delivered, every message acknowledged and the forwarder connected again
      MqttForwarderTest.Outage o = MqttForwarderTest.killAndRestartMidStream(q,
          tls(broker.tlsUri(), ca.socketFactory()).build(), broker, subscriber, 1000, 200, 23, 2);
      assertEquals(0, o.status().deadLettered());
    }
  }

  @Test
  void forwarder_serverCertificateFromAnUntrustedCa_namesTheTrustProblemKeepsMessagesAndBacksOff() throws Exception {
    startBroker(untrusted);
    Map<String, byte[]> expected = new HashMap<>();
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir.resolve("q")).cursors("mqtt").build())) {
      MqttForwarderTest.enqueue(q, 20, expected);
      Forwarder f = Forwarder.builder(q).random(new Random(29))
          .destination(Destination.builder("mqtt", tls(broker.tlsUri(), ca.socketFactory()).build())
              .backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 2).build())
          .build();
      long started = System.nanoTime();
      try {
        f.start();
        await("four failed connects", Duration.ofSeconds(60), () -> f.status("mqtt").consecutiveFailures() >= 4);
      } finally {
        f.stop(Duration.ofSeconds(10));
      }
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      DestinationStatus s = f.status("mqtt");
      String error = s.lastError().orElseThrow();
      assertTrue(error.contains("TLS handshake failed") && error.contains("not trusted")
          && error.contains("MqttTransport.Builder.socketFactory") && error.contains("trust store"), error);
      // backoff as for a refused connection: waits of at least 100, 200 and 400 ms (200 ms doubling,
      // half of each taken off at most by jitter) lie between the first and the fourth failure
      assertTrue(elapsedMillis >= 700, "no tight reconnect loop: 4 attempts in " + elapsedMillis + " ms");
      assertEquals(0, s.acknowledged());
      assertEquals(0, s.deadLettered());
      assertEquals(expected.size(), s.backlog(), "every message stays queued");
      assertEquals(0, subscriber.distinct());
    }
  }

  @Test
  void send_certificateWithoutTheIpAddressConnectedTo_failsHostnameVerificationByDefault() throws Exception {
    startBroker(localhostOnly);
    // Paho 1.2.5 verifies the host name by default (MqttConnectOptions.isHttpsHostnameVerificationEnabled()
    // is true: endpoint identification "HTTPS"); MqttTransport keeps that default.
    try (Transport t = tls(broker.tlsUri(), ca.socketFactory()).build()) {
      SendResult r = t.send(List.of(MqttForwarderTest.message("to 127.0.0.1")));
      SendResult.Unavailable u = assertInstanceOf(SendResult.Unavailable.class, r);
      assertTrue(u.reason().contains("not issued for '127.0.0.1'") && u.reason().contains("hostname verification"),
          u.reason());
    }
    assertEquals(0, subscriber.distinct());
    // the same certificate and CA, connected to by the name it is issued for: delivered
    assumeTrue(InetAddress.getByName("localhost").isLoopbackAddress()
        && InetAddress.getByName("localhost").getAddress().length == 4,
        "localhost does not resolve to 127.0.0.1 first, where the broker listens");
    try (Transport t = tls("ssl://localhost:" + broker.tlsPort, ca.socketFactory()).build()) {
      org.edgesdk.api.store.Message m = MqttForwarderTest.message("to localhost");
      assertEquals(SendResult.delivered(), t.send(List.of(m)));
      await("the message sent to localhost", Duration.ofSeconds(10), () -> subscriber.counts.containsKey(m.id()));
      assertArrayEquals("to localhost".getBytes(StandardCharsets.UTF_8), subscriber.payloads.get(m.id()));
    }
  }
}
