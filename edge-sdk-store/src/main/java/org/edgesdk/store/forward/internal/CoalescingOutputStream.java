package org.edgesdk.store.forward.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The output stream of an MQTT connection that writes several {@code PUBLISH} packets to the socket
 * at once. Paho's sender thread writes each packet and flushes it; one {@code write} system call per
 * packet costs the client and the broker a TCP segment each. This stream holds a flushed
 * {@code PUBLISH} back while further publishes of the same batch are on their way to the sender, and
 * writes everything out when:
 *
 * <ul>
 *   <li>the sender wrote every publish of the batches announced so far (the end of a batch, or a
 *       single message: nothing is ever held while no further publish is on its way);
 *   <li>a packet other than {@code PUBLISH} is flushed ({@code CONNECT}, {@code PINGREQ},
 *       {@code PUBACK}, {@code PUBREL}, {@code DISCONNECT}...);
 *   <li>the publishes written and not yet settled reach Paho's in-flight window (its sender would
 *       wait for acknowledgements of publishes still held here);
 *   <li>{@value #LIMIT} bytes are held;
 *   <li>the transport withdraws publishes it did not hand over and no other is on its way.
 * </ul>
 *
 * <p>The transport announces a batch's publishes with {@link #expectPublishes(int)} before it hands
 * the first to Paho, so the sender's flushes are held back until the batch's last publish is written
 * (or {@value #LIMIT} bytes are held); it withdraws those it did not hand over with
 * {@link #publishesNotSent(int)}, and calls {@link #publishSettled()} when a publish's outcome is known
 * (Paho counts a publish out of its window before it reports the outcome, so the count of unsettled
 * publishes here never falls below Paho's). Thread-safe: Paho's sender writes while the transport
 * counts.
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
  /** Publishes the transport handed or is handing to Paho on this connection (written under the lock). */
  private volatile long handed;
  /** Publishes the sender flushed into this stream (written under the lock). */
  private volatile long written;
  /** Times what was held went to the socket (written under the lock). */
  private volatile long writeOuts;
  /** Publishes whose outcome the transport learnt (counted without the lock the sender writes under). */
  private final AtomicLong settled = new AtomicLong();
  private boolean closed;

  CoalescingOutputStream(OutputStream socket, int maxInflight) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be positive, was " + maxInflight);
    }
    this.socket = socket;
    this.maxInflight = maxInflight;
  }

  /**
   * Counts publishes about to be handed to Paho (before the first {@code publish}, so that each is
   * counted before it can be written).
   *
   * @param n the number of publishes, positive
   */
  synchronized void expectPublishes(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be positive, was " + n);
    }
    handed += n;
  }

  /**
   * Withdraws publishes counted by {@link #expectPublishes(int)} that were not handed to Paho (it
   * refused one, or the batch failed already), and writes out what is held if no other publish is
   * on its way.
   *
   * @param n the number of publishes withdrawn, positive
   * @throws IOException if writing out fails
   */
  synchronized void publishesNotSent(int n) throws IOException {
    if (n < 1) {
      throw new IllegalArgumentException("n must be positive, was " + n);
    }
    handed -= n;
    if (written >= handed && count > 0 && !closed) {
      writeOut();
    }
  }

  /**
   * Returns whether every publish announced so far was written: the client sends nothing now and
   * waits for acknowledgements. Read without the lock, so only a hint.
   */
  boolean drained() {
    return written >= handed;
  }

  /**
   * Returns how many times this stream wrote to the socket; read without the lock.
   *
   * @return the count
   */
  long writeOuts() {
    return writeOuts;
  }

  /** Counts a publish whose outcome (acknowledged or failed) arrived. */
  void publishSettled() {
    settled.incrementAndGet();
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
      if (written < handed && written - settled.get() < maxInflight && count < LIMIT) {
        return;
      }
    }
    writeOut();
  }

  private void writeOut() throws IOException {
    writeOuts++;
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
