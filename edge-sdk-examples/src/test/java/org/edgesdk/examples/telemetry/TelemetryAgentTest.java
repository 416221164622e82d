package org.edgesdk.examples.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgesdk.examples.Mosquitto;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryAgentTest {
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  @TempDir Path dir;
  private Mosquitto broker;
  private MqttClient subscriber;
  private final Set<Long> received = ConcurrentHashMap.newKeySet();
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @BeforeEach
  void startBroker() throws Exception {
    Path binary = Mosquitto.binary().orElse(null);
    assumeTrue(binary != null, "mosquitto is not installed (Debian package mosquitto; .ci/run installs it)");
    broker = Mosquitto.start(binary, dir);
    subscriber = new MqttClient(broker.uri(), "telemetry-test-sub", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    subscriber.connect(o);
    subscriber.subscribe("plant7/#", 1, (topic, msg) -> {
      topics.add(topic);
      Matcher m = SEQ.matcher(new String(msg.getPayload(), StandardCharsets.UTF_8));
      if (m.find()) {
        received.add(Long.parseLong(m.group(1)));
      }
    });
  }

  @AfterEach
  void stopBroker() throws Exception {
    try {
      if (subscriber != null) {
        if (subscriber.isConnected()) {
          subscriber.disconnect();
        }
        subscriber.close();
      }
    } finally {
      if (broker != null) {
        broker.close(); // whatever happened above: never leave a broker running
      }
    }
  }

  @Test
  void run_withCount_forwardsEveryReadingAndReportsTotals() throws Exception {
    TelemetryAgent agent = new TelemetryAgent(new String[] {"--queue-dir", dir.resolve("q").toString(),
        "--mqtt", broker.uri(), "--interval-ms", "0", "--count", "200"}, Map.of("EDGE_AGENT_TOPIC", "plant7"), out);
    agent.run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("stopped: produced 200, forwarded 200, backlog 0"), text);
    assertTrue(text.contains("-> " + broker.uri() + " topic plant7/<id>"), text);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (received.size() < 200 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(200, received.size(), "distinct readings at the subscriber");
    assertTrue(topics.stream().allMatch(t -> t.matches("plant7/[0-9a-f-]{36}")), topics.toString());
  }

  @Test
  void stop_whileRunning_stopsGracefullyAndKeepsTheBacklog() throws Exception {
    broker.kill(); // an outage: readings pile up in the queue
    String[] args = {"--queue-dir", dir.resolve("q").toString(), "--mqtt", broker.uri(), "--topic", "plant7",
        "--interval-ms", "5", "--health-port", "0"};
    TelemetryAgent agent = new TelemetryAgent(args, Map.of(), out);
    Thread t = new Thread(agent::run);
    t.start();
    Thread.sleep(400);
    agent.stop();
    agent.awaitStopped();
    String text = bytes.toString(StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("stopped: produced (\\d+), forwarded 0, backlog (\\d+)").matcher(text);
    assertTrue(m.find(), text);
    assertTrue(Long.parseLong(m.group(1)) > 0, text);
    assertEquals(m.group(1), m.group(2), "every reading kept for the next start");
    assertTrue(text.contains("health http://localhost:"), text);

    broker.start(); // back up: a restarted agent forwards the backlog first
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    new TelemetryAgent(new String[] {"--queue-dir", dir.resolve("q").toString(), "--mqtt", broker.uri(),
        "--topic", "plant7", "--interval-ms", "0", "--count", "1"}, Map.of(),
        new PrintStream(second, true, StandardCharsets.UTF_8)).run();
    String again = second.toString(StandardCharsets.UTF_8);
    assertTrue(again.contains("backlog " + m.group(1)), again);
    assertTrue(again.contains("stopped: produced 1, forwarded " + (Long.parseLong(m.group(1)) + 1) + ", backlog 0"),
        again);
  }

  @Test
  void new_unknownOption_isRejectedWithTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TelemetryAgent(new String[] {"--bogus", "1"}, Map.of(), out));
    assertTrue(e.getMessage().contains("unknown option '--bogus'"), e.getMessage());
    assertTrue(e.getMessage().contains("--queue-dir"), e.getMessage());
  }
}
