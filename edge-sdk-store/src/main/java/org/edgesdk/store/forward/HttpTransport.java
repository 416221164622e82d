package org.edgesdk.store.forward;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.api.store.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Sends batches as HTTP(S) {@code POST} requests with {@code java.net.http}.
 *
 * <p>The body is one JSON document, {@code {"messages": [{"id": string, "lane": string, "priority":
 * int, "createdAt": ISO-8601 string, "headers": {name: value}, "payload": base64 string}]}}, with
 * {@code Content-Type: application/json}. The request header {@code Idempotency-Key} lists the batch's
 * message ids, comma-separated, in body order; each id is also in its message: a receiver that
 * remembers the ids it stored drops the duplicates that at-least-once delivery produces.
 *
 * <p>The answer decides the {@link SendResult}:
 * <ul>
 *   <li>2xx: delivered;
 *   <li>429 and 503: unavailable, honouring {@code Retry-After} (seconds or an HTTP date);
 *       408, 502, 504, a refused connection and a timeout: unavailable;
 *   <li>other 4xx: rejected, the reason carrying the status and the first 1000 characters of the body;
 *   <li>other 5xx: failed (counted as an attempt), with the status and body.
 * </ul>
 * Every request is bounded: by the connect timeout, then by the request timeout for the whole
 * exchange, body included.
 */
public final class HttpTransport implements Transport {
  private static final int MAX_REASON_BODY = 1000;

  private final URI uri;
  private final Duration requestTimeout;
  private final Map<String, String> headers;
  private final Clock clock;
  private final HttpClient client;

  private HttpTransport(Builder b) {
    this.uri = b.uri;
    this.requestTimeout = b.requestTimeout;
    this.headers = Map.copyOf(b.headers);
    this.clock = b.clock;
    HttpClient.Builder cb = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (b.sslContext != null) {
      cb.sslContext(b.sslContext);
    }
    this.client = cb.build();
  }

  /**
   * Starts a transport to an {@code http} or {@code https} URI.
   *
   * @param uri the endpoint that receives the POSTs
   * @return a builder
   * @throws IllegalArgumentException if the scheme is not http or https
   */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  @Override
  public SendResult send(List<Message> batch) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", batch.stream().map(Message::id).collect(Collectors.joining(",")))
        .POST(HttpRequest.BodyPublishers.ofByteArray(encode(batch)));
    headers.forEach(rb::header);
    CompletableFuture<HttpResponse<String>> call =
        client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response = call.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return SendResult.unavailable("no complete answer from " + uri + " within " + requestTimeout, Optional.empty());
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return SendResult.unavailable("interrupted while waiting for " + uri, Optional.empty());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        return SendResult.unavailable("timed out: " + cause.getMessage() + " (" + uri + ")", Optional.empty());
      }
      if (cause instanceof ConnectException) {
        return SendResult.unavailable("cannot connect to " + uri + ": " + cause, Optional.empty());
      }
      if (cause instanceof IOException) {
        return SendResult.unavailable("I/O error talking to " + uri + ": " + cause, Optional.empty());
      }
      return SendResult.failed("request to " + uri + " failed: " + cause);
    }
    return classify(response.statusCode(), response.headers().firstValue("Retry-After"), response.body());
  }

  SendResult classify(int status, Optional<String> retryAfter, String body) {
    String what = "HTTP " + status + " from " + uri;
    String withBody = body.isBlank() ? what
        : what + ": " + (body.length() > MAX_REASON_BODY ? body.substring(0, MAX_REASON_BODY) + "..." : body);
    if (status >= 200 && status < 300) {
      return SendResult.delivered();
    }
    if (status == 429 || status == 503) {
      return SendResult.unavailable(withBody, retryAfter.flatMap(this::parseRetryAfter));
    }
    if (status == 408 || status == 502 || status == 504) {
      return SendResult.unavailable(withBody, Optional.empty());
    }
    if (status >= 400 && status < 500) {
      return SendResult.rejected(withBody);
    }
    return SendResult.failed(withBody);
  }

  /** Parses {@code Retry-After}: delta-seconds or an HTTP date (RFC 9110 section 10.2.3). */
  Optional<Duration> parseRetryAfter(String value) {
    String v = value.trim();
    if (v.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static byte[] encode(List<Message> batch) {
    StringBuilder sb = new StringBuilder(64 + batch.size() * 128);
    sb.append("{\"messages\":[");
    Base64.Encoder b64 = Base64.getEncoder();
    for (int i = 0; i < batch.size(); i++) {
      Message m = batch.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"id\":");
      quote(sb, m.id());
      sb.append(",\"lane\":");
      quote(sb, m.lane());
      sb.append(",\"priority\":").append(m.priority()).append(",\"createdAt\":");
      quote(sb, m.createdAt().toString());
      sb.append(",\"headers\":{");
      boolean first = true;
      for (Map.Entry<String, String> h : new java.util.TreeMap<>(m.headers()).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, h.getKey());
        sb.append(':');
        quote(sb, h.getValue());
      }
      sb.append("},\"payload\":\"").append(b64.encodeToString(m.payload())).append("\"}");
    }
    sb.append("]}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  @Override
  public String describe() {
    return "http POST " + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getRawPath();
  }

  @Override
  public void close() {
    // java.net.http.HttpClient of Java 17 has no close; its threads end when it is unreachable.
  }

  @Override
  public String toString() {
    return "HttpTransport[" + describe() + "]";
  }

  /** Builds an {@link HttpTransport}; each setter documents its default. */
  public static final class Builder {
    private final URI uri;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(15);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private @Nullable SSLContext sslContext;

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("HTTP transport needs an http or https URI, was " + uri);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("HTTP transport URI has no host: " + uri);
      }
    }

    /**
     * Bounds connecting and the whole exchange. If not invoked, 5 s and 15 s.
     *
     * @param connect the connect timeout, positive
     * @param request the limit on one request and its response, body included, positive
     * @return this builder
     */
    public Builder timeouts(Duration connect, Duration request) {
      if (connect.isNegative() || connect.isZero() || request.isNegative() || request.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive, were " + connect + " and " + request);
      }
      this.connectTimeout = connect;
      this.requestTimeout = request;
      return this;
    }

    /**
     * Adds a request header sent with every batch, for example {@code Authorization}. If not
     * invoked, none beyond {@code Content-Type} and {@code Idempotency-Key}.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets the TLS context for https (trust store, client certificate). If not invoked, the JDK's
     * default context.
     *
     * @param sslContext the context
     * @return this builder
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Sets the wall clock that a {@code Retry-After} date is measured against. If not invoked,
     * {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the transport; it connects on the first send.
     *
     * @return the transport
     */
    public HttpTransport build() {
      return new HttpTransport(this);
    }
  }
}
