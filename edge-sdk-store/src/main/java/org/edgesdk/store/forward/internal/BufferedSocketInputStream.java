package org.edgesdk.store.forward.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The input stream of an MQTT connection, buffered. Paho reads each packet's fixed header a byte at
 * a time and asks {@link #available()} before each packet; on a bare socket stream every one of these
 * is a system call, four or more per 4-byte {@code PUBACK}. Here one {@code read} takes in whatever the
 * broker sent (often many acknowledgements at once), and {@link #available()} answers from the buffer
 * without asking the socket. A read timeout ({@link java.net.SocketTimeoutException}) leaves the buffer
 * as it was. One reader at a time (Paho's receiver thread).
 */
final class BufferedSocketInputStream extends InputStream {
  private final InputStream socket;
  private final byte[] buffer;
  private final @Nullable Runnable afterRead;
  private int pos;
  private int count;

  /**
   * Buffers a socket's input stream.
   *
   * @param socket the socket's stream
   * @param size the buffer size
   * @param afterRead run after each read from the socket that returned data, if not null
   */
  BufferedSocketInputStream(InputStream socket, int size, @Nullable Runnable afterRead) {
    this.socket = socket;
    this.buffer = new byte[size];
    this.afterRead = afterRead;
  }

  /** Refills an empty buffer; returns false at the end of the stream. */
  private boolean fill() throws IOException {
    pos = 0;
    count = 0;
    int n = socket.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    count = n;
    afterRead();
    return true;
  }

  @Override
  public int read() throws IOException {
    if (pos >= count && !fill()) {
      return -1;
    }
    return buffer[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    int buffered = count - pos;
    if (buffered <= 0) {
      if (len >= buffer.length) {
        int n = socket.read(b, off, len);  // a large payload goes straight into the caller's array
        if (n > 0) {
          afterRead();
        }
        return n;
      }
      if (!fill()) {
        return -1;
      }
      buffered = count;
    }
    int n = Math.min(len, buffered);
    System.arraycopy(buffer, pos, b, off, n);
    pos += n;
    return n;
  }

  private void afterRead() {
    if (afterRead != null) {
      afterRead.run();
    }
  }

  /**
   * Returns the bytes buffered, without asking the socket: Paho asks before every packet only to
   * set a state it never reads, and an empty buffer would cost a system call each time (0 is a
   * valid answer for a stream that may block).
   */
  @Override
  public int available() {
    return Math.max(0, count - pos);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
