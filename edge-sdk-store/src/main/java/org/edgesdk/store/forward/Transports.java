package org.edgesdk.store.forward;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.spi.Transport;
import org.edgesdk.api.store.spi.TransportProvider;

/**
 * Creates transports by URI through the {@link TransportProvider}s that {@link ServiceLoader} finds:
 * the built-in ones ({@code http}/{@code https}; {@code tcp}/{@code mqtt}/{@code ssl}/{@code mqtts},
 * which need Eclipse Paho) and any an application adds.
 */
public final class Transports {
  private Transports() {}

  /**
   * Creates a transport for a destination URI.
   *
   * @param destination the destination
   * @param options the provider's options (see its documentation)
   * @return the transport, not yet connected
   * @throws EdgeException with {@link ErrorCode#UNSUPPORTED} if no provider handles the scheme or the
   *     provider's library is missing
   * @throws IllegalArgumentException if the URI or an option is invalid
   */
  public static Transport create(URI destination, Map<String, String> options) {
    String scheme = destination.getScheme() == null ? "" : destination.getScheme().toLowerCase(Locale.ROOT);
    TreeSet<String> known = new TreeSet<>();
    for (TransportProvider p : ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader())) {
      if (p.schemes().contains(scheme)) {
        return p.create(destination, options);
      }
      known.addAll(p.schemes());
    }
    throw new EdgeException(ErrorCode.UNSUPPORTED, "no transport for '" + scheme + "' (" + destination + ")",
        "use one of " + known + " or add a TransportProvider for it");
  }
}
