package org.edgesdk.api.store.spi;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link Transport}s for the URI schemes it handles. Implementations are found with
 * {@link java.util.ServiceLoader}: a module declares {@code provides
 * org.edgesdk.api.store.spi.TransportProvider with ...} and also ships
 * {@code META-INF/services/org.edgesdk.api.store.spi.TransportProvider} for class-path users.
 *
 * <p>A provider must be instantiable even when the libraries its transports need are absent (an
 * optional dependency); {@link #create} then fails with an
 * {@link org.edgesdk.api.EdgeException} of code {@link org.edgesdk.api.ErrorCode#UNSUPPORTED}
 * naming what is missing.
 */
public interface TransportProvider {

  /**
   * Returns the URI schemes this provider handles, lower case (for example {@code http} and
   * {@code https}, or {@code tcp}, {@code ssl} and {@code mqtt}).
   *
   * @return the schemes
   */
  Set<String> schemes();

  /**
   * Creates a transport to a destination. Creating does not connect.
   *
   * @param destination the destination, with one of {@link #schemes()}
   * @param options transport options by name, documented by each provider (for example
   *     {@code topic}, {@code qos}, {@code username}); unknown names are refused
   * @return the transport
   * @throws IllegalArgumentException if the URI or an option is invalid or unknown
   * @throws org.edgesdk.api.EdgeException with {@link org.edgesdk.api.ErrorCode#UNSUPPORTED} if a
   *     library the transport needs is missing
   */
  Transport create(URI destination, Map<String, String> options);
}
