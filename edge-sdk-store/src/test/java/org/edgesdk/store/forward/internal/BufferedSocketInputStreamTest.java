package org.edgesdk.store.forward.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How {@link BufferedSocketInputStream} serves Paho's byte-at-a-time reads. */
class BufferedSocketInputStreamTest {

  /** A socket's stream that returns scripted chunks (null: a read timeout) and counts its calls. */
  static final class Socket extends InputStream {
    final Deque<byte[]> chunks = new ArrayDeque<>();
    int reads;
    int availableCalls;

    @Override
    public int read() {
      throw new AssertionError("the buffer reads in chunks");
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      reads++;
      if (chunks.isEmpty()) {
        return -1;
      }
      byte[] c = chunks.peekFirst();
      if (c.length == 0) {
        chunks.removeFirst();
        throw new SocketTimeoutException("Read timed out");
      }
      int n = Math.min(len, c.length);
      System.arraycopy(c, 0, b, off, n);
      chunks.removeFirst();
      if (n < c.length) {
        chunks.addFirst(Arrays.copyOfRange(c, n, c.length));
      }
      return n;
    }

    @Override
    public int available() {
      availableCalls++;
      return 0;
    }
  }

  private static final byte[] THREE_PUBACKS = {0x40, 2, 0, 1, 0x40, 2, 0, 2, 0x40, 2, 0, 3};

  @Test
  void read_threeAcknowledgementsInOneChunk_oneSocketReadAndAvailableFromTheBufferOnly() throws IOException {
    Socket socket = new Socket();
    socket.chunks.add(THREE_PUBACKS);
    AtomicInteger afterReads = new AtomicInteger();
    BufferedSocketInputStream in = new BufferedSocketInputStream(socket, 64, afterReads::incrementAndGet);
    assertEquals(0, in.available());
    byte[] got = new byte[12];
    for (int i = 0; i < 3; i++) {
      got[4 * i] = (byte) in.read();
      assertEquals(12 - (4 * i + 1), in.available());
      got[4 * i + 1] = (byte) in.read();
      assertEquals(2, in.read(got, 4 * i + 2, 2));
    }
    assertArrayEquals(THREE_PUBACKS, got);
    assertEquals(1, socket.reads);
    assertEquals(0, socket.availableCalls, "available() answers from the buffer, never with a system call");
    assertEquals(1, afterReads.get());
    assertEquals(-1, in.read());
  }

  @Test
  void read_timeoutBetweenChunks_losesNothing() throws IOException {
    Socket socket = new Socket();
    socket.chunks.add(new byte[] {0x40, 2});
    socket.chunks.add(new byte[0]);
    socket.chunks.add(new byte[] {0, 7});
    AtomicInteger afterReads = new AtomicInteger();
    BufferedSocketInputStream in = new BufferedSocketInputStream(socket, 64, afterReads::incrementAndGet);
    assertEquals(0x40, in.read());
    assertEquals(2, in.read());
    byte[] rest = new byte[2];
    assertThrows(SocketTimeoutException.class, () -> in.read(rest, 0, 2));
    assertEquals(2, in.read(rest, 0, 2));
    assertArrayEquals(new byte[] {0, 7}, rest);
    assertEquals(2, afterReads.get(), "run after each read that returned data only");
  }

  @Test
  void read_largerThanTheBuffer_readsStraightIntoTheCallersArray() throws IOException {
    Socket socket = new Socket();
    byte[] big = new byte[100];
    Arrays.fill(big, (byte) 9);
    socket.chunks.add(big);
    BufferedSocketInputStream in = new BufferedSocketInputStream(socket, 16, null);
    byte[] got = new byte[100];
    assertEquals(100, in.read(got, 0, 100));
    assertArrayEquals(big, got);
    assertEquals(0, in.read(got, 0, 0));
  }
}
