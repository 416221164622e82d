package org.edgesdk.ota.tuf.internal;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A response body that can lend the bytes it received without copying them: the buffer the
 * socket was read into goes to the consumer as it is and back into the body's fixed pool when
 * the consumer {@linkplain Loan#release() releases} it. The pool is the only bound on memory, so
 * a consumer that never releases stops the transfer once the pool is lent out.
 */
public interface Lending {
  /**
   * Lends the next received bytes, waiting for them as {@code read} does.
   *
   * @param max the most bytes wanted, at least 1
   * @return up to {@code max} bytes, at least 1, or {@code null} at the end of the body
   * @throws IOException as {@code read}
   */
  @Nullable Loan lend(int max) throws IOException;

  /**
   * Bytes {@code [offset, offset + length)} of {@code array}, lent until {@link #release()}.
   * Neither the body nor anyone else writes them until then.
   */
  final class Loan {
    private final byte[] array;
    private final int offset;
    private final int length;
    private final Runnable release;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Creates a loan.
     *
     * @param array the buffer
     * @param offset the first byte lent
     * @param length the bytes lent
     * @param release gives the buffer back (called once)
     */
    public Loan(byte[] array, int offset, int length, Runnable release) {
      java.util.Objects.checkFromIndexSize(offset, length, array.length);
      this.array = array;
      this.offset = offset;
      this.length = length;
      this.release = release;
    }

    /**
     * Returns the buffer.
     *
     * @return the buffer holding the lent bytes
     */
    public byte[] array() {
      return array;
    }

    /**
     * Returns where the lent bytes start.
     *
     * @return the index of the first lent byte in {@link #array()}
     */
    public int offset() {
      return offset;
    }

    /**
     * Returns how many bytes are lent.
     *
     * @return the count, at least 1
     */
    public int length() {
      return length;
    }

    /** Gives the bytes back; later calls do nothing. Safe from any thread. */
    public void release() {
      if (released.compareAndSet(false, true)) {
        release.run();
      }
    }
  }
}
