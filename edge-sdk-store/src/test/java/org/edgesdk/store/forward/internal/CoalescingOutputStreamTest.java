package org.edgesdk.store.forward.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link CoalescingOutputStream} holds back and writes out the packets Paho's sender flushes. */
class CoalescingOutputStreamTest {

  /** The socket's side: what arrived, and in how many writes. */
  static final class Socket extends ByteArrayOutputStream {
    final List<Integer> writes = new ArrayList<>();
    int flushes;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.add(len);
      super.write(b, off, len);
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  private final Socket socket = new Socket();

  /** A QoS 1 PUBLISH packet with a payload of n bytes of value v (fixed header 0x32, then the rest). */
  private static byte[] publish(int n, int v) {
    byte[] p = new byte[n + 2];
    p[0] = 0x32;
    p[1] = (byte) Math.min(n, 127);
    Arrays.fill(p, 2, p.length, (byte) v);
    return p;
  }

  private static final byte[] PINGREQ = {(byte) 0xC0, 0};

  /** Paho's sender: one write of the packet, then a flush. */
  private static void send(CoalescingOutputStream out, byte[] packet) throws IOException {
    out.write(packet, 0, packet.length);
    out.flush();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  @Test
  void flush_singleAnnouncedPublish_writtenAtOnce() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    out.expectPublishes(1);
    send(out, publish(10, 1));
    assertArrayEquals(publish(10, 1), socket.toByteArray(), "a single message is not held until a batch fills");
    assertEquals(0, out.held());
  }

  @Test
  void flush_batchOfThree_heldUntilTheLastIsWrittenThenOneWrite() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    out.expectPublishes(3);
    send(out, publish(10, 1));
    send(out, publish(10, 2));
    assertEquals(0, socket.size(), "held while the batch's last publish is on its way");
    send(out, publish(10, 3));
    assertArrayEquals(concat(publish(10, 1), publish(10, 2), publish(10, 3)), socket.toByteArray());
    assertEquals(List.of(36), socket.writes, "the three packets leave in one write");
    assertEquals(1, socket.flushes);
  }

  @Test
  void flush_secondBatchAnnouncedBeforeTheFirstIsWritten_heldUntilBothAreWritten() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    out.expectPublishes(2);
    send(out, publish(10, 1));
    out.expectPublishes(1);
    send(out, publish(10, 2));
    assertEquals(0, socket.size());
    send(out, publish(10, 3));
    assertEquals(36, socket.size());
  }

  @Test
  void flush_otherPacketWhilePublishesHeld_writesEverythingInOrder() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    out.expectPublishes(3);
    send(out, publish(10, 1));
    send(out, PINGREQ);
    assertArrayEquals(concat(publish(10, 1), PINGREQ), socket.toByteArray(),
        "a keep-alive, acknowledgement or disconnect is never held");
  }

  @Test
  void flush_unsettledPublishesReachTheInflightWindow_writesOut() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 2);
    out.expectPublishes(5);
    send(out, publish(10, 1));
    assertEquals(0, socket.size());
    send(out, publish(10, 2));
    assertEquals(24, socket.size(), "Paho's sender waits for acknowledgements now: nothing may be held");
    out.publishSettled();
    out.publishSettled();
    send(out, publish(10, 3));
    assertEquals(24, socket.size(), "the window has room again");
    send(out, publish(10, 4));
    assertEquals(48, socket.size());
  }

  @Test
  void publishesNotSent_restOfTheBatchWithdrawn_writesWhatIsHeld() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    out.expectPublishes(4);
    send(out, publish(10, 1));
    send(out, publish(10, 2));
    assertEquals(0, socket.size());
    out.publishesNotSent(2);
    assertEquals(24, socket.size(), "Paho refused the third: nothing more is on its way");
    out.expectPublishes(1);
    send(out, publish(10, 3));
    assertEquals(36, socket.size(), "the counts stay right after a withdrawal");
  }

  @Test
  void publishesNotSent_somethingStillOnItsWay_keepsHolding() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    out.expectPublishes(3);
    send(out, publish(10, 1));
    out.publishesNotSent(1);
    assertEquals(0, socket.size());
    send(out, publish(10, 2));
    assertEquals(24, socket.size());
  }

  @Test
  void write_heldBytesReachTheLimit_writesOutBeforeTheBatchEnds() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 10_000);
    int n = 1000;
    out.expectPublishes(n);
    int packet = publish(100, 0).length;
    int sent = 0;
    while (socket.size() == 0) {
      send(out, publish(100, sent % 100));
      sent++;
      assertTrue(sent < n, "nothing written after " + sent + " packets");
    }
    assertTrue(socket.size() <= CoalescingOutputStream.LIMIT);
    assertTrue(out.held() < CoalescingOutputStream.LIMIT);
    assertEquals(0, socket.size() % packet, "whole packets only, written in order");
    assertTrue(sent * packet >= CoalescingOutputStream.LIMIT - packet);
  }

  @Test
  void write_packetLargerThanTheLimit_goesStraightThroughAfterWhatIsHeld() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    out.expectPublishes(3);
    send(out, publish(10, 1));
    byte[] large = new byte[CoalescingOutputStream.LIMIT + 100];
    large[0] = 0x32;
    send(out, large);
    assertEquals(12 + large.length, socket.size());
    assertArrayEquals(publish(10, 1), Arrays.copyOf(socket.toByteArray(), 12));
  }

  @Test
  void close_withPublishesHeld_writesThemAndClosesTheSocket() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    out.expectPublishes(2);
    send(out, publish(10, 1));
    out.close();
    assertEquals(12, socket.size());
    assertThrows(IOException.class, () -> send(out, publish(10, 2)));
  }

  @Test
  void drained_untilTheAnnouncedPublishesAreWritten_false() throws IOException {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    assertTrue(out.drained());
    out.expectPublishes(2);
    send(out, publish(10, 1));
    assertFalse(out.drained(), "a publish is still on its way: it will carry the TCP acknowledgement");
    send(out, publish(10, 2));
    assertTrue(out.drained());
  }

  @Test
  void expectPublishes_notPositive_throws() {
    CoalescingOutputStream out = new CoalescingOutputStream(socket, 100);
    assertThrows(IllegalArgumentException.class, () -> out.expectPublishes(0));
    assertThrows(IllegalArgumentException.class, () -> new CoalescingOutputStream(socket, 0));
  }
}
