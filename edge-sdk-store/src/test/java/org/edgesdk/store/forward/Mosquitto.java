package org.edgesdk.store.forward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real mosquitto broker for tests: started on a free loopback port with a generated configuration
 * (anonymous, no persistence), killed with SIGKILL and restarted on the same port. With
 * {@link #startTls} it also has a TLS listener on a port of its own (the plain one stays, for
 * subscribers), serving the given PEM files.
 */
final class Mosquitto {
  private final Path binary;
  private final Path config;
  private final Path log;
  final int port;
  /** The TLS listener's port, or -1 without one. */
  final int tlsPort;
  private Process process;

  private Mosquitto(Path binary, Path dir, int port, int tlsPort, TestPki.@Nullable ServerFiles tls)
      throws IOException {
    this.binary = binary;
    this.port = port;
    this.tlsPort = tlsPort;
    this.config = dir.resolve("mosquitto.conf");
    this.log = dir.resolve("mosquitto.log");
    List<String> lines = new ArrayList<>(List.of(
        "allow_anonymous true",
        "persistence false",
        "max_queued_messages 100000",
        "log_dest stderr",
        "listener " + port + " 127.0.0.1"));
    if (tls != null) {
      if ("root".equals(System.getProperty("user.name"))) {
        // run as root, mosquitto switches to user 'mosquitto' before it loads certificates, which then
        // cannot read the owner-only key and temp directories: stay root
        lines.add(0, "user root");
      }
      lines.addAll(List.of(
          "listener " + tlsPort + " 127.0.0.1",
          "cafile " + tls.cafile(),
          "certfile " + tls.certfile(),
          "keyfile " + tls.keyfile()));
    }
    lines.add("");
    Files.writeString(config, String.join("\n", lines));
  }

  /** The mosquitto binary, if installed (Debian: /usr/sbin/mosquitto). */
  static Optional<Path> binary() {
    for (String p : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")) {
      if (Files.isExecutable(Path.of(p))) {
        return Optional.of(Path.of(p));
      }
    }
    return Optional.empty();
  }

  static Mosquitto start(Path binary, Path dir) throws IOException, InterruptedException {
    Mosquitto m = new Mosquitto(binary, dir, freePort(), -1, null);
    m.start();
    return m;
  }

  /**
   * Starts a broker with a plain listener and a TLS listener on its own port.
   *
   * @param tls the PEM files the TLS listener serves (its {@code cafile}, {@code certfile}, {@code keyfile})
   */
  static Mosquitto startTls(Path binary, Path dir, TestPki.ServerFiles tls) throws IOException, InterruptedException {
    int port = freePort();
    int tlsPort = freePort();
    while (tlsPort == port) {
      tlsPort = freePort();
    }
    Mosquitto m = new Mosquitto(binary, dir, port, tlsPort, tls);
    m.start();
    return m;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The TLS listener's URI, for a broker from {@link #startTls}. */
  String tlsUri() {
    if (tlsPort < 0) {
      throw new IllegalStateException("this broker has no TLS listener");
    }
    return "ssl://127.0.0.1:" + tlsPort;
  }

  void start() throws IOException, InterruptedException {
    process = new ProcessBuilder(binary.toString(), "-c", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("mosquitto exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket(); Socket t = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        if (tlsPort >= 0) {
          t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort), 200);
        }
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IOException("mosquitto did not listen on " + port + " within 20 s: " + Files.readString(log));
  }

  /** Sends a signal to the broker, e.g. {@code STOP} to freeze it (sockets stay open, nothing is answered) and
   * {@code CONT} to resume it. */
  void signal(String name) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGKILL, as a crash or power cut would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      try {
        signal("CONT"); // SIGKILL ends a stopped process too; this only keeps the log complete
      } catch (IOException e) {
        // killed below anyway
      }
      kill();
    }
  }
}
