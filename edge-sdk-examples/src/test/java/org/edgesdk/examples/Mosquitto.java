package org.edgesdk.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker for tests (as edge-sdk-store's forwarding tests start it): started on a free loopback port with a generated configuration
 * (anonymous, no persistence), killed with SIGKILL and restarted on the same port.
 */
public final class Mosquitto {
  private final Path binary;
  private final Path config;
  private final Path log;
  public final int port;
  private Process process;

  private Mosquitto(Path binary, Path dir, int port) throws IOException {
    this.binary = binary;
    this.port = port;
    this.config = dir.resolve("mosquitto.conf");
    this.log = dir.resolve("mosquitto.log");
    Files.writeString(config, String.join("\n",
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "persistence false",
        "max_queued_messages 100000",
        "log_dest stderr",
        ""));
  }

  /** The mosquitto binary, if installed (Debian: /usr/sbin/mosquitto). */
  public static Optional<Path> binary() {
    for (String p : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")) {
      if (Files.isExecutable(Path.of(p))) {
        return Optional.of(Path.of(p));
      }
    }
    return Optional.empty();
  }

  public static Mosquitto start(Path binary, Path dir) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Mosquitto m = new Mosquitto(binary, dir, port);
    m.start();
    return m;
  }

  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  public void start() throws IOException, InterruptedException {
    process = new ProcessBuilder(binary.toString(), "-c", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("mosquitto exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IOException("mosquitto did not listen on " + port + " within 20 s: " + Files.readString(log));
  }

  /** SIGKILL, as a crash or power cut would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
