package org.edgesdk.store.forward.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The output stream of an MQTT connection that writes several {@code PUBLISH} packets to the socket
 * at once. Paho's sender thread writes each packet and flushes it; one {@code write} system call per
 * packet costs the client and the broker a TCP segment each. This stream holds a flushed
 * {@code PUBLISH} back while the transport has handed Paho further publishes that the sender will
 * write right after it, and writes everything out when:
 *
 * <ul>
 *   <li>the sender wrote every publish handed to it so far (the end of a batch, or a single message:
 *       nothing is ever held while no further publish is on its way);
 *   <li>a packet other than {@code PUBLISH} is flushed ({@code CONNECT}, {@code PINGREQ},
 *       {@code PUBACK}, {@code PUBREL}, {@code DISCONNECT}...);
 *   <li>the publishes written and not yet settled reach Paho's in-flight window (its sender would
 *       wait for acknowledgements of publishes still held here);
 *   <li>{@value #LIMIT} bytes are held;
 *   <li>the transport withdraws a publish that Paho refused ({@link #publishNotSent()}) and no other is
 *       on its way.
 * </ul>
 *
 * <p>The transport calls {@link #expectPublish()} before each {@code publish}, so a publish is always
 * counted before the sender can write it, and {@link #publishSettled()} when its outcome is known
 * (Paho counts a publish out of its window before it reports the outcome, so the count here never
 * falls below Paho's). Thread-safe: Paho's sender writes while the transport counts.
 */
final class CoalescingOutputStream extends OutputStream {
  /** Bytes held at most before they are written regardless. */
  static final int LIMIT = 32 * 1024;

  private final OutputStream socket;
  private final int maxInflight;
  private byte[] buffer = new byte[8192];
  private int count;
  /** The type of the packet being written (its first byte's high nibble), or -1 before its first byte. */
  private int packetType = -1;
  /** Publishes the transport handed to Paho on this connection. */
  private long handed;
  /** Publishes the sender flushed into this stream. */
  private long written;
  /** Publishes whose outcome the transport learnt. */
  private long settled;
  private boolean closed;

  CoalescingOutputStream(OutputStream socket, int maxInflight) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be positive, was " + maxInflight);
    }
    this.socket = socket;
    this.maxInflight = maxInflight;
  }

  /** Counts a publish about to be handed to Paho (before {@code publish}, so it is counted before it is written). */
  synchronized void expectPublish() {
    handed++;
  }

  /**
   * Withdraws a publish counted by {@link #expectPublish()} that Paho refused, and writes out what is
   * held if no other publish is on its way.
   *
   * @throws IOException if writing out fails
   */
  synchronized void publishNotSent() throws IOException {
    handed--;
    if (written >= handed && count > 0 && !closed) {
      writeOut();
    }
  }

  /** Counts a publish whose outcome (acknowledged or failed) arrived. */
  synchronized void publishSettled() {
    settled++;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    ensureOpen();
    startPacket(b);
    ensureRoom(1);
    buffer[count++] = (byte) b;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return;
    }
    startPacket(b[off]);
    if (count + len > LIMIT) {
      writeOut();
      if (len >= LIMIT) {
        socket.write(b, off, len);  // a large packet goes straight to the socket
        return;
      }
    }
    ensureRoom(len);
    System.arraycopy(b, off, buffer, count, len);
    count += len;
  }

  private void startPacket(int firstByte) {
    if (packetType < 0) {
      packetType = (firstByte & 0xF0) >>> 4;
    }
  }

  private void ensureRoom(int len) {
    if (count + len > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(count + len, Math.min(2 * buffer.length, LIMIT)));
    }
  }

  /** Ends a packet: holds it back or writes out everything held (see the class description). */
  @Override
  public synchronized void flush() throws IOException {
    ensureOpen();
    boolean publish = packetType == 3;
    packetType = -1;
    if (publish) {
      written++;
      if (written < handed && written - settled < maxInflight && count < LIMIT) {
        return;
      }
    }
    writeOut();
  }

  private void writeOut() throws IOException {
    if (count > 0) {
      socket.write(buffer, 0, count);
      count = 0;
    }
    socket.flush();
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }

  /** Bytes held back (tests). */
  synchronized int held() {
    return count;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writeOut();
    } catch (IOException e) {
      // the connection is gone: what it had not sent is sent again on the next one
    } finally {
      count = 0;
      socket.close();
    }
  }
}
