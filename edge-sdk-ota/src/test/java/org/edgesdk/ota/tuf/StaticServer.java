package org.edgesdk.ota.tuf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A static file server on loopback that honours {@code Range: bytes=N-}, like nginx or a CDN, and
 * records the requests it received. Public for the install tests of {@code org.edgesdk.ota.ab}.
 */
public final class StaticServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  /** The requests received: the path, then the Range header if any. */
  public final List<String> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final Path root;
  volatile boolean honourRange = true;

  /**
   * Serves {@code root} until closed.
   *
   * @param root the directory served
   * @throws IOException if the server cannot start
   */
  public StaticServer(Path root) throws IOException {
    this.root = root;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Returns the server's base URI.
   *
   * @return {@code http://127.0.0.1:PORT/}
   */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Range");
    requests.add(exchange.getRequestURI().getPath() + (range == null ? "" : " " + range));
    Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    int from = 0;
    Matcher m = range == null ? null : RANGE.matcher(range);
    if (honourRange && m != null && m.matches()) {
      from = Integer.parseInt(m.group(1));
      if (from >= bytes.length) {
        exchange.sendResponseHeaders(416, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().set("Content-Range",
          "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
      exchange.sendResponseHeaders(206, bytes.length - from);
    } else {
      exchange.sendResponseHeaders(200, bytes.length);
    }
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes, from, bytes.length - from);
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop(0);
  }
}
