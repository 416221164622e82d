package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An in-process HTTP endpoint on loopback that accepts the forwarder's JSON batches and counts every
 * message id it receives (a stand-in for the central platform in the demo). It can go down (its
 * socket closes: connections are refused) and come back on the same port.
 */
final class HttpSink implements AutoCloseable {
  /** Created on first use: the sink only exists in the demo. */
  private static final class Parser {
    static final ObjectMapper JSON = new ObjectMapper();
  }

  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private @Nullable HttpServer server;
  private int port;

  /** Starts on a free loopback port. */
  static HttpSink start() {
    HttpSink sink = new HttpSink();
    sink.up();
    return sink;
  }

  synchronized void up() {
    if (server != null) {
      return;
    }
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      s.createContext("/ingest", this::handle);
      s.start();
      port = s.getAddress().getPort();
      server = s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  synchronized void down() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/ingest");
  }

  int distinct() {
    return received.size();
  }

  int duplicates() {
    return received.values().stream().mapToInt(a -> a.get() - 1).sum();
  }

  boolean hasReceived(String id) {
    return received.containsKey(id);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      JsonNode body = Parser.JSON.readTree(ex.getRequestBody());
      for (JsonNode m : body.path("messages")) {
        received.computeIfAbsent(m.path("id").asText(), k -> new AtomicInteger()).incrementAndGet();
      }
      ex.sendResponseHeaders(204, -1);
    }
  }

  @Override
  public void close() {
    down();
  }
}
