package org.edgesdk.examples.telemetry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.examples.ExampleArgs;
import org.edgesdk.ota.ab.AbUpdater;
import org.edgesdk.ota.ab.DeviceConfig;
import org.edgesdk.store.DurableQueues;
import org.edgesdk.store.forward.Destination;
import org.edgesdk.store.forward.DestinationStatus;
import org.edgesdk.store.forward.Forwarder;
import org.edgesdk.store.forward.ForwarderListener;
import org.edgesdk.store.forward.MqttTransport;

/**
 * A telemetry agent: takes a reading every interval, stores it durably in a queue and forwards the
 * queue to an MQTT broker; readings survive broker outages and restarts. Optionally checks for A/B
 * updates every N readings. Stops gracefully on SIGTERM (a container stop, {@code systemctl stop}):
 * it stops reading, gives the forwarder a few seconds to drain what is in flight, and closes the
 * queue, so nothing acknowledged is lost.
 *
 * <p>Options (command line, else environment variable {@code EDGE_AGENT_<NAME>}):
 * <pre>
 * --queue-dir DIR         the queue's directory (default /var/lib/edge-agent/queue)
 * --mqtt URI              the broker (default tcp://127.0.0.1:1883)
 * --topic T               the topic prefix; each reading goes to T/&lt;message id&gt; (default telemetry)
 * --interval-ms N         between readings (default 1000; 0 = as fast as the queue takes them)
 * --count N               stop after N readings and once all are forwarded (default 0 = run until stopped)
 * --health-port N         serve GET /healthz on this port (default -1 = off; 0 = any free port)
 * --update-config FILE    an A/B device configuration: check the repository for updates
 * --update-every N        readings between update checks (default 3600, hourly at 1 s)
 * </pre>
 */
public final class TelemetryAgent {
  private static final Set<String> OPTIONS = Set.of("queue-dir", "mqtt", "topic", "interval-ms", "count",
      "health-port", "update-config", "update-every");

  private final ExampleArgs args;
  private final PrintStream out;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * Creates an agent.
   *
   * @param args the command line
   * @param env the environment
   * @param out where the agent reports
   * @throws IllegalArgumentException for an unknown option
   */
  public TelemetryAgent(String[] args, Map<String, String> env, PrintStream out) {
    this.args = ExampleArgs.parse("telemetry-agent", args, env, "EDGE_AGENT", OPTIONS);
    this.out = out;
  }

  /**
   * Runs the agent from the command line.
   *
   * @param args the options above
   * @throws InterruptedException if interrupted while stopping
   */
  public static void main(String[] args) throws InterruptedException {
    TelemetryAgent agent;
    try {
      agent = new TelemetryAgent(args, System.getenv(), System.out);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.stop();
      try {
        main.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "telemetry-agent-stop"));
    try {
      agent.run();
    } catch (EdgeException e) {
      System.err.println("telemetry-agent: " + e.code() + ": " + e.problem() + "; fix: " + e.remedy());
      System.exit(1);
    }
  }

  /** Asks a running agent to stop gracefully; returns at once. */
  public void stop() {
    running = false;
  }

  /**
   * Waits until {@link #run()} has returned.
   *
   * @throws InterruptedException if interrupted
   */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /**
   * Runs until stopped or, with {@code --count}, until every reading is forwarded.
   *
   * @throws EdgeException if the queue cannot be opened or the broker URI is not supported
   */
  public void run() {
    try {
      runAgent();
    } finally {
      stopped.countDown();
    }
  }

  private void runAgent() {
    Path dir = Path.of(args.get("queue-dir", "/var/lib/edge-agent/queue"));
    URI broker = URI.create(args.get("mqtt", "tcp://127.0.0.1:1883"));
    String topic = args.get("topic", "telemetry");
    long intervalMs = args.getLong("interval-ms", 1000);
    long count = args.getLong("count", 0);
    long updateEvery = Math.max(1, args.getLong("update-every", 3600));
    Optional<AbUpdater> updater = args.get("update-config")
        .map(f -> AbUpdater.builder(DeviceConfig.load(Path.of(f))).build());

    QueueConfig config = QueueConfig.builder(dir).cursors("mqtt").maxBytes(64L << 20).build();
    try (DurableQueue queue = DurableQueues.open(config)) {
      Destination mqtt = Destination.builder("mqtt", MqttTransport.builder(broker, topic).qos(1).build())
          .maxBatch(100, 256 * 1024)
          .backoff(Duration.ofMillis(200), Duration.ofSeconds(30), 2)
          .build();
      Forwarder fwd = Forwarder.builder(queue).destination(mqtt).listener(new ForwarderListener() {
        @Override
        public void stateChanged(DestinationStatus s) {
          out.println("mqtt " + s.state().name().toLowerCase(java.util.Locale.ROOT)
              + s.lastError().map(e -> " (" + e + ")").orElse(""));
        }
      }).build();
      fwd.start();
      out.println("started queue " + dir + " -> " + broker + " topic " + topic + "/<id>, backlog "
          + queue.stats().messages());
      HealthServer health = HealthServer.start((int) args.getLong("health-port", -1), fwd, out);
      try {
        long seq = 0;
        Clock clock = Clock.systemUTC();
        while (running && (count == 0 || seq < count)) {
          queue.enqueue(reading(seq, clock)).await();
          seq++;
          if (updater.isPresent() && seq % updateEvery == 0) {
            checkForUpdate(updater.get(), seq);
          }
          sleep(intervalMs);
        }
        while (running && count > 0 && !fwd.status("mqtt").caughtUp()) {
          sleep(20);
        }
        boolean drained = fwd.stop(Duration.ofSeconds(5));
        DestinationStatus s = fwd.status("mqtt");
        out.println("stopped: produced " + seq + ", forwarded " + s.acknowledged() + ", backlog "
            + queue.stats().messages() + (drained ? "" : " (in-flight sends abandoned; they are resent at start)"));
      } finally {
        health.close();
      }
    }
  }

  private void checkForUpdate(AbUpdater updater, long seq) {
    try {
      Optional<TargetDescription> t = updater.chooseTarget(Optional.empty());
      out.println("update check at reading " + seq + ": "
          + t.map(d -> d.name() + " " + d.releaseVersion().orElse("") + " available").orElse("up to date"));
    } catch (EdgeException e) {
      // The agent keeps collecting telemetry whatever the update server does.
      out.println("update check at reading " + seq + " failed: " + e.problem());
    }
  }

  private static NewMessage reading(long seq, Clock clock) {
    Runtime rt = Runtime.getRuntime();
    String json = "{\"seq\":" + seq + ",\"time\":\"" + clock.instant() + "\",\"heapUsedBytes\":"
        + (rt.totalMemory() - rt.freeMemory()) + "}";
    return NewMessage.of(json.getBytes(StandardCharsets.UTF_8)).withLane("telemetry");
  }

  private void sleep(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** GET /healthz: 200 while the agent runs (a broker outage is not a reason to restart it). */
  private static final class HealthServer implements AutoCloseable {
    private final @org.jspecify.annotations.Nullable HttpServer server;

    private HealthServer(@org.jspecify.annotations.Nullable HttpServer server) {
      this.server = server;
    }

    static HealthServer start(int port, Forwarder fwd, PrintStream out) {
      if (port < 0) {
        return new HealthServer(null);
      }
      try {
        HttpServer s = HttpServer.create(new InetSocketAddress(port), 0);
        s.createContext("/healthz", ex -> {
          DestinationStatus st = fwd.status("mqtt");
          byte[] body = ("{\"status\":\"ok\",\"mqtt\":\"" + st.state() + "\",\"backlog\":" + st.backlog() + "}\n")
              .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
        s.start();
        out.println("health http://localhost:" + s.getAddress().getPort() + "/healthz");
        return new HealthServer(s);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve /healthz on port " + port, e);
      }
    }

    @Override
    public void close() {
      if (server != null) {
        server.stop(0);
      }
    }
  }
}
