package org.edgesdk.store.forward.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.edgesdk.api.store.spi.Transport;
import org.edgesdk.api.store.spi.TransportProvider;
import org.edgesdk.store.forward.HttpTransport;

/**
 * Provides {@link HttpTransport} for {@code http} and {@code https}. Options: {@code connectTimeout}
 * and {@code requestTimeout} (ISO-8601 durations such as {@code PT5S}), and {@code header.NAME} for a
 * request header.
 */
public final class HttpTransportProvider implements TransportProvider {

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public HttpTransportProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public Transport create(URI destination, Map<String, String> options) {
    HttpTransport.Builder b = HttpTransport.builder(destination);
    Duration connect = Duration.ofSeconds(5);
    Duration request = Duration.ofSeconds(15);
    for (Map.Entry<String, String> o : options.entrySet()) {
      String k = o.getKey();
      if (k.equals("connectTimeout")) {
        connect = Duration.parse(o.getValue());
      } else if (k.equals("requestTimeout")) {
        request = Duration.parse(o.getValue());
      } else if (k.startsWith("header.") && k.length() > 7) {
        b.header(k.substring(7), o.getValue());
      } else {
        throw new IllegalArgumentException("unknown HTTP transport option '" + k
            + "'; known: connectTimeout, requestTimeout, header.NAME");
      }
    }
    return b.timeouts(connect, request).build();
  }
}
