package org.edgesdk.store.forward.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link CoalescingSocket}s of one plain-TCP MQTT transport and remembers the latest, so
 * that the transport, after connecting, can tell that connection's {@link CoalescingOutputStream}
 * which publishes are on their way. Paho connects the unconnected socket from {@link #createSocket()};
 * the other methods are here for completeness.
 */
final class CoalescingSocketFactory extends SocketFactory {
  private final int maxInflight;
  private volatile @Nullable CoalescingSocket latest;

  CoalescingSocketFactory(int maxInflight) {
    this.maxInflight = maxInflight;
  }

  /** The output stream of the socket made last, if Paho asked for it already, else null. */
  @Nullable CoalescingOutputStream latestOutput() {
    CoalescingSocket s = latest;
    return s == null ? null : s.coalescingOutput();
  }

  @Override
  public Socket createSocket() throws IOException {
    CoalescingSocket s = new CoalescingSocket(maxInflight);
    latest = s;
    return s;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null, 0);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null, 0);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(address, port), localAddress, localPort);
  }

  private Socket connected(InetSocketAddress to, @Nullable InetAddress local, int localPort) throws IOException {
    Socket s = createSocket();
    try {
      if (local != null || localPort != 0) {
        s.bind(new InetSocketAddress(local, localPort));
      }
      s.connect(to);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }
}
