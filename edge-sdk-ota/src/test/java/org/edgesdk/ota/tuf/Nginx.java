package org.edgesdk.ota.tuf;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx (installed by .ci/run) serving a directory on loopback: one process running as
 * the test's user, in the foreground, every path inside a work directory. Tests check
 * {@link #AVAILABLE} with an assumption first.
 */
public final class Nginx implements AutoCloseable {
  /** The nginx binary. */
  public static final Path BINARY = Path.of("/usr/sbin/nginx");
  /** Whether nginx is installed. */
  public static final boolean AVAILABLE = Files.isExecutable(BINARY);

  private final Process process;
  private final Path prefix;
  private final URI uri;

  private Nginx(Process process, Path prefix, URI uri) {
    this.process = process;
    this.prefix = prefix;
    this.uri = uri;
  }

  /**
   * Starts nginx serving {@code docroot}.
   *
   * @param docroot the directory to serve
   * @param prefix an empty work directory for its configuration and logs
   * @return the running server
   * @throws IOException if it cannot start
   * @throws InterruptedException if interrupted while waiting for it
   */
  public static Nginx start(Path docroot, Path prefix) throws IOException, InterruptedException {
    return start(docroot, prefix, List.of(), List.of());
  }

  /**
   * Starts nginx serving {@code docroot} with extra configuration lines.
   *
   * @param docroot the directory to serve
   * @param prefix an empty work directory for its configuration and logs
   * @param http directives added to the {@code http} block (for example a {@code map})
   * @param server directives added to the {@code server} block (for example {@code limit_rate})
   * @return the running server
   * @throws IOException if it cannot start
   * @throws InterruptedException if interrupted while waiting for it
   */
  public static Nginx start(Path docroot, Path prefix, List<String> http, List<String> server)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Files.createDirectories(prefix);
    List<String> lines = new java.util.ArrayList<>(List.of(
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
        "  scgi_temp_path " + prefix.resolve("scgi") + ";"));
    http.forEach(d -> lines.add("  " + d));
    lines.addAll(List.of("  server {", "    listen 127.0.0.1:" + port + ";", "    root " + docroot + ";"));
    server.forEach(d -> lines.add("    " + d));
    lines.addAll(List.of("  }", "}", ""));
    String conf = String.join("\n", lines);
    Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
    Process p = new ProcessBuilder(BINARY.toString(), "-p", prefix.toString(), "-e",
        prefix.resolve("error.log").toString(), "-c", confFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(prefix.resolve("stdout.log").toFile())
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new Nginx(p, prefix, URI.create("http://127.0.0.1:" + port + "/"));
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IOException("nginx exited: " + read(prefix.resolve("stdout.log")) + read(prefix.resolve("error.log")));
        }
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IOException("nginx did not listen on port " + port + " within 15 s: " + read(prefix.resolve("error.log")));
  }

  /**
   * Returns the server's base URL.
   *
   * @return {@code http://127.0.0.1:PORT/}
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns the access log's lines.
   *
   * @return the lines
   * @throws IOException if the log cannot be read
   */
  public List<String> accessLog() throws IOException {
    return Files.readAllLines(prefix.resolve("access.log"));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
