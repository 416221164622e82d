package org.edgesdk.examples.edgectl;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.spi.Transport;
import org.edgesdk.store.forward.Destination;
import org.edgesdk.store.forward.DestinationStatus;
import org.edgesdk.store.forward.Forwarder;
import org.edgesdk.store.forward.ForwarderListener;
import org.edgesdk.store.forward.Transports;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgectl queue forward}: forwards a queue directory to an MQTT broker or an HTTP endpoint
 * through a named cursor, printing progress once a second and, at the end, the summary {@code sent N,
 * acknowledged N, retried N, dead-lettered N}. Payloads are published unchanged (MQTT: to
 * {@code TOPIC/<message id>}; HTTP: the JSON batch of {@code HttpTransport}).
 */
@Command(name = "forward", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Forward the queue to an MQTT broker (--mqtt, --topic) or an HTTP endpoint (--http); "
        + "with --until-empty, end once everything stored has been acknowledged by the destination.")
final class QueueForwardCommand implements Runnable {
  @Option(names = "--dir", required = true, description = "The queue directory.")
  Path dir;

  @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--mqtt", description = "The broker: tcp://HOST:PORT or ssl://HOST:PORT.")
    URI mqtt;

    @Option(names = "--http", description = "The endpoint: http(s)://HOST[:PORT]/PATH, sent JSON batches by POST.")
    URI http;
  }

  @Option(names = "--topic", description = "The MQTT topic prefix; each message goes to TOPIC/<id>.")
  String topic;

  @Option(names = "--qos", description = "MQTT quality of service 0, 1 or 2 (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int qos;

  @Option(names = "--username", description = "MQTT user name; the password is read from EDGECTL_MQTT_PASSWORD.")
  String username;

  @Option(names = "--cursor", description = "The cursor name (default: ${DEFAULT-VALUE}).", defaultValue = "forward")
  String cursor;

  @Option(names = "--batch", description = "The most messages per send (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int batch;

  @Option(names = "--rate", description = "The most messages per second (default: no limit).")
  Double rate;

  @Option(names = "--until-empty", description = "End once everything stored has been acknowledged.")
  boolean untilEmpty;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    Map<String, String> options = new LinkedHashMap<>();
    URI uri;
    if (target.mqtt != null) {
      if (topic == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--mqtt needs --topic");
      }
      if (qos < 0 || qos > 2) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--qos must be 0, 1 or 2, was " + qos);
      }
      uri = target.mqtt;
      options.put("topic", topic);
      options.put("qos", Integer.toString(qos));
      options.put("maxInflight", Integer.toString(Math.max(batch, 10)));
      if (username != null) {
        options.put("username", username);
        String password = System.getenv("EDGECTL_MQTT_PASSWORD");
        options.put("password", password == null ? "" : password);
      }
    } else {
      if (topic != null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--topic applies to --mqtt only");
      }
      uri = target.http;
    }
    if (batch < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1, was " + batch);
    }
    if (rate != null && !(rate > 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be positive, was " + rate);
    }
    Transport transport;
    try {
      transport = Transports.create(uri, options);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    Destination.Builder d = Destination.builder(cursor, transport).maxBatch(batch, 4L * 1024 * 1024)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(30), 2);
    if (rate != null) {
      d.maxRate(rate, Math.max(1, (int) Math.min(batch, rate)));
    }
    try (DurableQueue queue = QueueCommand.openExisting(dir)) {
      Forwarder forwarder = Forwarder.builder(queue).destination(d.build())
          .listener(new ForwarderListener() {
            @Override
            public void stateChanged(DestinationStatus s) {
              synchronized (out) {
                out.println(s.state().name().toLowerCase(Locale.ROOT) + " " + transport.describe()
                    + s.lastError().map(e -> ": " + e).orElse(""));
                out.flush();
              }
            }
          })
          .build();
      Thread hook = new Thread(() -> forwarder.stop(Duration.ofSeconds(20)), "edgectl-forward-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      forwarder.start();
      try {
        long nextProgress = System.nanoTime() + 1_000_000_000L;
        while (true) {
          Thread.sleep(50);
          DestinationStatus s = forwarder.status(cursor);
          if (untilEmpty && s.caughtUp()) {
            break;
          }
          if (System.nanoTime() - nextProgress >= 0) {
            nextProgress += 1_000_000_000L;
            progress(out, s);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      forwarder.stop(Duration.ofSeconds(20));
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
      DestinationStatus s = forwarder.status(cursor);
      synchronized (out) {
        out.printf(Locale.ROOT, "sent %d, acknowledged %d, retried %d, dead-lettered %d%n", s.sent(),
            s.acknowledged(), s.retried(), s.deadLettered());
        out.flush();
      }
    }
  }

  private static void progress(PrintWriter out, DestinationStatus s) {
    synchronized (out) {
      out.printf(Locale.ROOT, "%s backlog %d, acknowledged %d, %.1f msg/s, oldest %.1f s, failures %d%n",
          s.state().name().toLowerCase(Locale.ROOT), s.backlog(), s.acknowledged(), s.sendRate(),
          s.oldestAge().toMillis() / 1000.0, s.consecutiveFailures());
      out.flush();
    }
  }
}
