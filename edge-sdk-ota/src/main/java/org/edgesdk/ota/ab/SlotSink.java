package org.edgesdk.ota.ab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * The slot side of the install pipeline: a daemon thread ({@code edgesdk-ota-slot-writer}) that
 * writes the blocks the installing thread hands over, forces them to the device at each
 * checkpoint, reads the forced region back and compares it, and only then lets the checkpoint be
 * persisted; the installing thread meanwhile receives, hashes and decompresses the next blocks.
 *
 * <p>What the read-back proves: each block gets a CRC32C of its bytes as they were handed to the
 * slot (the bytes the TUF-verified stream produced); after the region holding it is forced, the
 * block is read back from the slot and its CRC32C must match. The TUF SHA-256 proves the stream;
 * the read-back proves the slot holds what the stream said. Each checkpoint interval also gets a
 * CRC32C of its handed-over bytes, persisted with the checkpoint ({@link Region}), so that a
 * resumed install first reads back the prefix written before the interruption and checks it.
 *
 * <p>Memory is bounded: {@link #BLOCKS} buffers of {@link #BLOCK} bytes circulate between the two
 * threads, and one read-back buffer. Any failure (a write, a force, a read-back mismatch, the
 * checkpoint callback) stops the thread; the installing thread sees it at its next hand-over, and
 * {@link #close()} stops the thread and waits for it, so it never outlives the install.
 */
final class SlotSink implements AutoCloseable {
  /** Bytes per hand-over buffer and per read-back check. */
  static final int BLOCK = 1 << 20;
  /** Buffers in flight between the installing thread and the writer. */
  static final int BLOCKS = 4;

  /** A persisted checkpoint interval: the slot bytes up to {@code end}, with this CRC32C since the previous end. */
  record Region(long end, int crc32c) {}

  /** What the writer calls after a region is forced and read back, on its own thread. */
  interface Checkpointer {
    /**
     * Persists a checkpoint.
     *
     * @param token what the installing thread passed to {@link SlotSink#checkpoint}
     * @param regions every interval forced and verified so far, from the slot's byte 0
     */
    void persist(Object token, List<Region> regions);
  }

  /** Test seam: runs on the writer thread after a region is forced, before it is read back. */
  interface Faults {
    Faults NONE = new Faults() {};

    /**
     * Called before each block is written.
     *
     * @param slot the slot
     * @param position where the block goes
     * @param length its length
     * @throws IOException to simulate a failing device
     */
    default void beforeWrite(Path slot, long position, int length) throws IOException {}

    /**
     * Called after {@code [from, to)} was forced, before it is read back.
     *
     * @param slot the slot
     * @param from the region's first byte
     * @param to the region's end
     * @throws IOException to simulate a failing device
     */
    default void afterForce(Path slot, long from, long to) throws IOException {}
  }

  private static final Object FINISH = new Object();
  private static final Object ABORT = new Object();
  private static final byte[] WAKE = new byte[0];

  /** A block handed over: {@code length} bytes of {@code buf} for the slot at {@code position}. */
  private record Block(byte[] buf, int length, long position) {}

  /** A checkpoint request: persist once everything before {@code end} is forced and verified. */
  private record Mark(long end, Object token) {}

  private final Path slot;
  private final long capacity;
  private final boolean regularFile;
  private final Checkpointer checkpointer;
  private final Faults faults;
  private final LongFunction<EdgeException> tooSmall;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS + 1);
  private final BlockingQueue<Object> work = new LinkedBlockingQueue<>();
  private final List<Region> regions;
  private final Thread thread;
  private final FileChannel out;
  /** Blocks written and not yet read back: positions, lengths, CRC32Cs. */
  private final List<long[]> unverified = new ArrayList<>();
  private final CRC32C intervalCrc = new CRC32C();
  private final ByteBuffer readBack = ByteBuffer.allocateDirect(BLOCK);
  private final long prefix;
  private long written;
  private long verified;
  private volatile @Nullable Throwable failure;
  private volatile boolean done;
  private volatile boolean aborted;

  /**
   * Opens the slot and starts the writer, which first reads back and checks the {@code regions}
   * a resumed install wrote before.
   *
   * @param slot the slot's file or block device
   * @param out the slot, open for writing and reading
   * @param capacity the most bytes the slot holds
   * @param regions the intervals written, forced and verified before (empty when starting at 0)
   * @param checkpointer persists checkpoints
   * @param faults the test seam
   * @param tooSmall the error for a slot that cannot hold the byte at the given offset
   */
  SlotSink(Path slot, FileChannel out, long capacity, List<Region> regions, Checkpointer checkpointer, Faults faults,
      LongFunction<EdgeException> tooSmall) {
    this.slot = slot;
    this.out = out;
    this.capacity = capacity;
    this.regularFile = Files.isRegularFile(slot);
    this.regions = new ArrayList<>(regions);
    this.checkpointer = checkpointer;
    this.faults = faults;
    this.tooSmall = tooSmall;
    this.prefix = regions.isEmpty() ? 0 : regions.get(regions.size() - 1).end();
    this.written = prefix;
    this.verified = prefix;
    for (int i = 0; i < BLOCKS; i++) {
      free.add(new byte[BLOCK]);
    }
    this.thread = new Thread(this::run, "edgesdk-ota-slot-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Returns a free buffer of {@link #BLOCK} bytes, waiting while all are in flight.
   *
   * @return the buffer
   * @throws IOException if the writer failed with one
   */
  byte[] buffer() throws IOException {
    while (true) {
      rethrowFailure();
      try {
        byte[] b = free.take();
        if (b != WAKE) {
          return b;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for the slot writer");
      }
    }
  }

  /**
   * Hands over the first {@code length} bytes of a buffer from {@link #buffer()}, for the next
   * position of the slot.
   *
   * @param buf the buffer
   * @param length its bytes to write, at least 1
   * @param position the slot position they go to
   * @throws IOException if the writer failed with one
   */
  void write(byte[] buf, int length, long position) throws IOException {
    rethrowFailure();
    work.add(new Block(buf, length, position));
  }

  /** Returns an unused buffer from {@link #buffer()}. */
  void recycle(byte[] buf) {
    free.add(buf);
  }

  /**
   * Asks for a checkpoint at {@code end}: the writer forces and verifies everything before it,
   * then calls the checkpointer with {@code token}.
   *
   * @param end the slot offset, the end of the last block handed over
   * @param token passed back to the checkpointer
   * @throws IOException if the writer failed with one
   */
  void checkpoint(long end, Object token) throws IOException {
    rethrowFailure();
    work.add(new Mark(end, token));
  }

  /**
   * Ends the write: the writer truncates a file slot at {@code end}, forces the slot, reads back
   * what is left; this waits for it.
   *
   * @param end the image's length
   * @throws IOException if the writer failed with one
   */
  void finish(long end) throws IOException {
    rethrowFailure();
    work.add(new Mark(end, FINISH));
    join();
    rethrowFailure();
    if (!done) {
      throw new IllegalStateException("the slot writer stopped before the end");
    }
  }

  /** Stops the writer (if still running) and waits for it. */
  @Override
  public void close() {
    aborted = true;
    work.add(ABORT);
    join();
  }

  private void join() {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true; // the writer stops at its next item; never leave it behind
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrowFailure() throws IOException {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  private void run() {
    try {
      verifyPrefix();
      while (true) {
        Object item = work.take();
        if (item == ABORT || aborted) {
          return;
        }
        if (item instanceof Block b) {
          write(b);
        } else {
          Mark m = (Mark) item;
          if (m.token() == FINISH) {
            if (regularFile && out.size() > m.end()) {
              out.truncate(m.end());
            }
            out.force(true);
            faults.afterForce(slot, verified, written);
            verifyWritten();
            done = true;
            return;
          }
          out.force(false);
          faults.afterForce(slot, verified, written);
          verifyWritten();
          regions.add(new Region(written, (int) intervalCrc.getValue()));
          intervalCrc.reset();
          checkpointer.persist(m.token(), List.copyOf(regions));
        }
      }
    } catch (InterruptedException e) {
      failure = new java.io.InterruptedIOException("slot writer interrupted");
    } catch (Throwable t) { // a power-cut simulation from the checkpointer included: handed over as is
      failure = t;
    } finally {
      if (failure != null) {
        free.offer(WAKE); // an installing thread waiting for a buffer sees the failure
      }
    }
  }

  private void write(Block b) throws IOException {
    if (b.position() != written) {
      throw new IllegalStateException("block at " + b.position() + " but the slot is written up to " + written);
    }
    if (written + b.length() > capacity) {
      throw tooSmall.apply(written + b.length());
    }
    faults.beforeWrite(slot, written, b.length());
    ByteBuffer bb = ByteBuffer.wrap(b.buf(), 0, b.length());
    long pos = written;
    while (bb.hasRemaining()) {
      pos += out.write(bb, pos);
    }
    CRC32C crc = new CRC32C();
    crc.update(b.buf(), 0, b.length());
    intervalCrc.update(b.buf(), 0, b.length());
    unverified.add(new long[] {written, b.length(), crc.getValue()});
    written += b.length();
    free.add(b.buf());
  }

  /** Reads back every block written since the last check (after a force) and compares it. */
  private void verifyWritten() throws IOException {
    for (long[] block : unverified) {
      long crc = crcOf(block[0], (int) block[1]);
      if (crc != block[2]) {
        throw mismatch(block[0], block[0] + block[1], crc, block[2], "was written");
      }
    }
    unverified.clear();
    verified = written;
  }

  /** A resumed install: the prefix written before the interruption must still read back as it was. */
  private void verifyPrefix() throws IOException {
    long from = 0;
    for (Region r : regions) {
      CRC32C crc = new CRC32C();
      for (long pos = from; pos < r.end(); pos += BLOCK) {
        int n = (int) Math.min(BLOCK, r.end() - pos);
        read(pos, n);
        crc.update(readBack);
      }
      if ((int) crc.getValue() != r.crc32c()) {
        throw mismatch(from, r.end(), crc.getValue() & 0xffffffffL, r.crc32c() & 0xffffffffL,
            "was written before the interruption");
      }
      from = r.end();
    }
  }

  private long crcOf(long position, int length) throws IOException {
    read(position, length);
    CRC32C crc = new CRC32C();
    crc.update(readBack);
    return crc.getValue();
  }

  /** Reads {@code length} bytes at {@code position} into {@link #readBack}, flipped for reading. */
  private void read(long position, int length) throws IOException {
    readBack.clear().limit(length);
    long pos = position;
    while (readBack.hasRemaining()) {
      int n = out.read(readBack, pos);
      if (n < 0) {
        break; // short: the CRC of fewer bytes does not match
      }
      pos += n;
    }
    readBack.flip();
  }

  private EdgeException mismatch(long from, long to, long found, long expected, String when) {
    return new EdgeException(ErrorCode.VERIFICATION_FAILED, "slot " + slot + " reads back bytes " + from + ".." + to
        + " with CRC32C " + String.format("%08x", found) + " but " + String.format("%08x", expected) + " " + when,
        "the storage may be failing; run install again (it rewrites the slot), or check the device");
  }
}
