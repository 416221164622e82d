package org.edgesdk.store.forward.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import jdk.net.ExtendedSocketOptions;
import org.jspecify.annotations.Nullable;

/**
 * A plain TCP socket for Paho with Nagle's algorithm off ({@code TCP_NODELAY}, see
 * set here, as {@link NoDelaySocketFactory} does for TLS), a {@link BufferedSocketInputStream} and a
 * {@link CoalescingOutputStream}.
 */
final class CoalescingSocket extends Socket {
  private final int maxInflight;
  private final boolean quickAck;
  private @Nullable BufferedSocketInputStream in;
  private volatile @Nullable CoalescingOutputStream out;
  /** The output stream's write count when quick acknowledgements were last turned on. */
  private long quickAckedAfter = -1;

  CoalescingSocket(int maxInflight) throws SocketException {
    this.maxInflight = maxInflight;
    setTcpNoDelay(true);
    this.quickAck = supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    BufferedSocketInputStream i = in;
    if (i == null) {
      i = new BufferedSocketInputStream(super.getInputStream(), 16 * 1024, quickAck ? this::quickAck : null);
      in = i;
    }
    return i;
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    CoalescingOutputStream o = out;
    if (o == null) {
      o = new CoalescingOutputStream(super.getOutputStream(), maxInflight);
      out = o;
    }
    return o;
  }

  /**
   * Acknowledges what was read at once while this side has nothing to send. Linux delays TCP
   * acknowledgements (up to 40 ms) on a connection where data goes both ways; a broker with Nagle's
   * algorithm on (mosquitto's default) then holds its next {@code PUBACK}s until that acknowledgement
   * arrives, and a forwarder waiting for the acknowledgements of a full window sends nothing that
   * would carry it. While publishes are being written they carry the acknowledgements, so nothing is
   * set then. {@code TCP_QUICKACK} leaves the kernel's "interactive" (delayed acknowledgement) mode
   * until this side sends again, so it is set on the first read after each write to the socket (on
   * Linux; elsewhere the option is not supported and acknowledgements keep their system's timing).
   * Called on Paho's receiver thread only.
   */
  private void quickAck() {
    CoalescingOutputStream o = out;
    if (o == null || !o.drained()) {
      return;
    }
    long writes = o.writeOuts();
    if (writes == quickAckedAfter) {
      return;
    }
    quickAckedAfter = writes;
    try {
      setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
    } catch (IOException e) {
      // the socket is closing: Paho's next read fails
    }
  }

  /** The output stream if Paho asked for it already, else null. */
  synchronized @Nullable CoalescingOutputStream coalescingOutput() {
    return out;
  }
}
