package org.edgesdk.store.forward.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Turns Nagle's algorithm off ({@code TCP_NODELAY}) on the sockets Paho makes. Paho creates its
 * sockets without {@code TCP_NODELAY}; with Nagle on, the last publish of a burst waits for the
 * broker's delayed TCP acknowledgement (40 ms on Linux) before it leaves. Plain {@code tcp://}
 * connections get their sockets from {@link CoalescingSocketFactory} ({@link CoalescingSocket} sets
 * the option itself); {@code ssl://} connections from {@link Tls}.
 */
final class NoDelaySocketFactory {
  private NoDelaySocketFactory() {}

  static Socket noDelay(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    return socket;
  }

  /**
   * The factory for {@code ssl://}: Paho requires an {@link SSLSocketFactory} there. Paho connects
   * the unconnected socket from {@link #createSocket()}; the other methods are here for completeness.
   */
  static final class Tls extends SSLSocketFactory {
    private final SSLSocketFactory delegate;

    Tls(SSLSocketFactory delegate) {
      this.delegate = delegate;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      return noDelay(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return noDelay(delegate.createSocket(address, port, localAddress, localPort));
    }
  }
}
