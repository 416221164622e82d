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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.tuf.TargetStream;
import org.jspecify.annotations.Nullable;

/**
 * The slot side of the install pipeline, three daemon threads that never outlive it: the writer
 * ({@code edgesdk-ota-slot-writer}) writes the blocks the installing thread hands over and CRCs
 * them; at each checkpoint the syncer ({@code edgesdk-ota-slot-sync}) forces the slot and reads the
 * interval back against those CRCs while the writer goes on with the next interval; the
 * checkpointer ({@code edgesdk-ota-checkpoint}) then persists the checkpoint while the syncer
 * forces the next one. The network, the CPU and the disk work at the same time, and the disk's
 * writeback is spread over the download instead of one long fsync at the end.
 *
 * <p>What the read-back proves: each block gets a CRC32C of its bytes as they were handed to the
 * slot (the bytes the TUF-verified stream produced); after the interval holding it is forced, the
 * block is read back from the slot and its CRC32C must match. The TUF SHA-256 proves the stream;
 * the read-back proves the slot holds what the stream said. The blocks are {@link #BLOCK} bytes
 * from the start of their checkpoint interval whatever the hand-over sizes, so each byte is CRC'd
 * once while written and once while read back. Each interval also gets a check value (a CRC32C of
 * its blocks' CRC32Cs), persisted with the checkpoint ({@link Region}), so that a resumed install
 * first reads back the prefix written before the interruption and checks it.
 *
 * <p>A checkpoint is persisted only after everything before it is forced and read back, and in
 * order. Memory is bounded: at most {@link #BLOCKS} buffers of {@link #BLOCK} bytes of its own
 * circulate between the installing thread and the writer (none when the target stream lends its
 * transport's buffers: then the transport's fixed pool bounds what is in flight), one read-back
 * buffer, and the writer runs at most {@link #AHEAD} checkpoint intervals ahead of the last one persisted. A failure in one stage (a
 * write, a force, a read-back mismatch, the checkpointer) stops that stage and every stage before
 * it at once, while the stages after it finish what they were handed (a checkpoint whose bytes
 * were all written still gets forced, verified and persisted, so a resume refetches no more than
 * before); the installing thread sees the failure at its next hand-over. {@link #close()} lets the
 * stages finish what they hold (a bounded amount: {@link #BLOCKS} blocks, {@link #AHEAD}
 * intervals) and waits for all three threads.
 */
final class SlotSink implements AutoCloseable {
  /** Bytes per hand-over buffer and per read-back check. */
  static final int BLOCK = 1 << 20;
  /** Buffers in flight between the installing thread and the writer. */
  static final int BLOCKS = 4;
  /** Checkpoint intervals the writer may be ahead of the last persisted checkpoint. */
  static final int AHEAD = 4;

  /**
   * A persisted checkpoint interval: the slot bytes from the previous end up to {@code end}, with
   * the CRC32C of the CRC32Cs (big-endian) of its check blocks of {@link #BLOCK} bytes from its
   * start.
   */
  record Region(long end, int crc32c) {}

  /** What the checkpointer thread calls once an interval is forced and read back. */
  interface Checkpointer {
    /**
     * Persists a checkpoint.
     *
     * @param token what the installing thread passed to {@link SlotSink#checkpoint}
     * @param regions every interval forced and verified so far, from the slot's byte 0
     */
    void persist(Object token, List<Region> regions);
  }

  /** Test seam: device faults, called on the pipeline's threads. */
  interface Faults {
    Faults NONE = new Faults() {};

    /**
     * Called on the writer thread before each block is written.
     *
     * @param slot the slot
     * @param position where the block goes
     * @param length its length
     * @throws IOException to simulate a failing device
     */
    default void beforeWrite(Path slot, long position, int length) throws IOException {}

    /**
     * Called on the syncer thread after {@code [from, to)} was forced, before it is read back.
     *
     * @param slot the slot
     * @param from the interval's first byte
     * @param to the interval's end
     * @throws IOException to simulate a failing device
     */
    default void afterForce(Path slot, long from, long to) throws IOException {}
  }

  private static final Object FINISH = new Object();
  /** The end of a stage's input: finish what came before it, pass it on, stop. */
  private static final Object STOP = new Object();
  private static final int WRITER = 1;
  private static final int SYNCER = 2;
  private static final int PERSISTER = 3;
  private static final byte[] WAKE = new byte[0];

  /**
   * Bytes handed over: {@code [offset, offset + length)} of {@code buf} for the slot at
   * {@code position}; {@code release} gives the buffer back once written (to this sink's pool, or
   * to the transport that lent it).
   */
  private record Block(byte[] buf, int offset, int length, long position, Runnable release) {}

  /** A checkpoint request: persist once everything before {@code end} is forced and verified. */
  private record Mark(long end, Object token) {}

  /**
   * An interval written: its blocks (position, length, CRC32C) to read back, its start, end and
   * CRC32C, and the checkpoint token ({@link #FINISH} for the last).
   */
  private record Interval(List<long[]> blocks, long start, long end, int crc32c, Object token) {}

  private final Path slot;
  private final FileChannel out;
  private final long capacity;
  private final boolean regularFile;
  private final Checkpointer checkpointer;
  private final Faults faults;
  private final LongFunction<EdgeException> tooSmall;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS + 3); // + wake-ups
  private final BlockingQueue<Object> work = new LinkedBlockingQueue<>();
  private final BlockingQueue<Object> toSync = new LinkedBlockingQueue<>();
  private final BlockingQueue<Object> toPersist = new LinkedBlockingQueue<>();
  private final Semaphore ahead = new Semaphore(AHEAD);
  private final List<Region> regions;
  private final List<Thread> threads;
  private final ByteBuffer readBack = ByteBuffer.allocateDirect(BLOCK);
  private final Object lock = new Object();
  // writer thread only
  private List<long[]> blocks = new ArrayList<>();
  /** The CRC32C of the check block being written: {@link #BLOCK} bytes from {@link #blockStart}. */
  private final CRC32C blockCrc = new CRC32C();
  private long blockStart;
  private long written;
  private long intervalStart;
  // installing thread only
  private long marks;
  private int allocated;
  // guarded by lock
  private long persisted;
  private volatile @Nullable Throwable failure;
  private volatile boolean done;
  /** Stages numbered below this stop at once: a later stage failed. */
  private volatile int stopped;

  /**
   * Starts the threads; the syncer first reads back and checks the {@code regions} a resumed
   * install wrote before.
   *
   * @param slot the slot's file or block device
   * @param out the slot, open for writing and reading; the caller closes it after this
   * @param capacity the most bytes the slot holds
   * @param regions the intervals written, forced and verified before (empty when starting at 0)
   * @param checkpointer persists checkpoints
   * @param faults the test seam
   * @param tooSmall the error for a slot too small for the image ({@link Long#MAX_VALUE}: how much
   *     larger is unknown)
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
    this.written = regions.isEmpty() ? 0 : regions.get(regions.size() - 1).end();
    this.intervalStart = written;
    this.blockStart = written;
    this.threads = List.of(daemon(this::writer, WRITER, toSync, "edgesdk-ota-slot-writer"),
        daemon(this::syncer, SYNCER, toPersist, "edgesdk-ota-slot-sync"),
        daemon(this::persister, PERSISTER, null, "edgesdk-ota-checkpoint"));
    threads.forEach(Thread::start);
  }

  /** A stage's body: returns normally after {@link #STOP}, {@link #FINISH} or a later stage's failure. */
  private interface Stage {
    void run() throws IOException, InterruptedException;
  }

  private Thread daemon(Stage body, int stage, @Nullable BlockingQueue<Object> next, String name) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        fail(stage, new java.io.InterruptedIOException(name + " interrupted"));
      } catch (Throwable e) { // a power-cut simulation from the checkpointer included: handed over as is
        fail(stage, e);
      } finally {
        if (stage == WRITER) {
          releaseQueued(); // lent buffers go back to the transport even after a failure
        }
        if (next != null) {
          next.add(STOP); // the next stage finishes what it was handed, then stops
        }
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  /** The first failure wins; this stage and those before it stop, a waiting installing thread wakes. */
  private void fail(int stage, Throwable t) {
    synchronized (lock) {
      if (failure == null) {
        failure = t;
      }
      stopped = Math.max(stopped, stage + 1);
      lock.notifyAll();
    }
    free.offer(WAKE);
    ahead.release(AHEAD);
  }

  /**
   * Returns a free buffer of {@link #BLOCK} bytes, waiting while all are in flight.
   *
   * @return the buffer
   * @throws IOException if a pipeline thread failed with one
   */
  byte[] buffer() throws IOException {
    while (true) {
      rethrowFailure();
      try {
        if (allocated < BLOCKS && free.isEmpty()) { // allocated on first use: lent chunks need none
          allocated++;
          return new byte[BLOCK];
        }
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
   * @throws IOException if a pipeline thread failed with one
   */
  void write(byte[] buf, int length, long position) throws IOException {
    rethrowFailure();
    work.add(new Block(buf, 0, length, position, () -> free.offer(buf)));
  }

  /**
   * Hands over a chunk lent by the target stream, for the next position of the slot, without a
   * copy; the writer releases it once written (or when the pipeline stops).
   *
   * @param chunk the chunk
   * @param position the slot position it goes to
   * @throws IOException if a pipeline thread failed with one (the chunk is released)
   */
  void write(TargetStream.Chunk chunk, long position) throws IOException {
    try {
      rethrowFailure();
    } catch (IOException | RuntimeException e) {
      chunk.release();
      throw e;
    }
    work.add(new Block(chunk.array(), chunk.offset(), chunk.length(), position, chunk::release));
  }

  /** Returns an unused buffer from {@link #buffer()}. */
  void recycle(byte[] buf) {
    free.offer(buf); // never full of buffers: at most BLOCKS circulate, and a wake-up or two
  }

  /**
   * Asks for a checkpoint at {@code end}: everything before it is forced and read back, then the
   * checkpointer is called with {@code token}.
   *
   * @param end the slot offset, the end of the last block handed over
   * @param token passed back to the checkpointer
   * @throws IOException if a pipeline thread failed with one
   */
  void checkpoint(long end, Object token) throws IOException {
    rethrowFailure();
    marks++;
    work.add(new Mark(end, token));
  }

  /**
   * Waits until every checkpoint asked for is persisted.
   *
   * @throws IOException if a pipeline thread failed with one
   */
  void awaitCheckpoints() throws IOException {
    synchronized (lock) {
      while (persisted < marks && failure == null) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for the slot's checkpoints");
        }
      }
    }
    rethrowFailure();
  }

  /**
   * Ends the write: a file slot is truncated at {@code end}, the slot forced and the rest read
   * back; this waits for it.
   *
   * @param end the image's length
   * @throws IOException if a pipeline thread failed with one
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

  /**
   * Ends the input: the stages finish what they were handed (checkpoints asked for are persisted
   * unless a stage failed) and stop; waits for the threads.
   */
  @Override
  public void close() {
    work.add(STOP);
    join();
  }

  private void join() {
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true; // the threads stop at their next item; never leave one behind
        }
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

  private void writer() throws IOException, InterruptedException {
    while (true) {
      Object item = work.take();
      if (item == STOP || stopped > WRITER) {
        releaseQueued();
        return;
      }
      if (item instanceof Block b) {
        try {
          write(b);
        } finally {
          b.release().run();
        }
        continue;
      }
      Mark m = (Mark) item;
      if (m.token() == FINISH && regularFile && out.size() > m.end()) {
        out.truncate(m.end());
      }
      while (!ahead.tryAcquire(100, TimeUnit.MILLISECONDS)) { // bounded lead over the disk
        if (stopped > WRITER) {
          return;
        }
      }
      if (written > blockStart) {
        endBlock();
      }
      toSync.add(new Interval(blocks, intervalStart, written, intervalCrc(blocks), m.token()));
      blocks = new ArrayList<>();
      intervalStart = written;
      if (m.token() == FINISH) {
        return;
      }
    }
  }

  private void write(Block b) throws IOException {
    if (b.position() != written) {
      throw new IllegalStateException("block at " + b.position() + " but the slot is written up to " + written);
    }
    if (written + b.length() > capacity) {
      throw tooSmall.apply(Long.MAX_VALUE); // the decompressed size is only known while writing
    }
    faults.beforeWrite(slot, written, b.length());
    ByteBuffer bb = ByteBuffer.wrap(b.buf(), b.offset(), b.length());
    long pos = written;
    while (bb.hasRemaining()) {
      pos += out.write(bb, pos);
    }
    // one CRC32C pass: into the check blocks of BLOCK bytes from the interval's start, whatever
    // the hand-over sizes
    int off = b.offset();
    int left = b.length();
    while (left > 0) {
      int n = (int) Math.min(left, BLOCK - (written - blockStart));
      blockCrc.update(b.buf(), off, n);
      off += n;
      left -= n;
      written += n;
      if (written - blockStart == BLOCK) {
        endBlock();
      }
    }
  }

  private void endBlock() {
    blocks.add(new long[] {blockStart, written - blockStart, blockCrc.getValue()});
    blockCrc.reset();
    blockStart = written;
  }

  /**
   * An interval's check value: the CRC32C of its check blocks' CRC32Cs (big-endian), so that the
   * bytes are CRC'd once while writing and once while reading back.
   */
  private static int intervalCrc(List<long[]> blocks) {
    ByteBuffer crcs = ByteBuffer.allocate(4 * blocks.size());
    for (long[] block : blocks) {
      crcs.putInt((int) block[2]);
    }
    CRC32C crc = new CRC32C();
    crc.update(crcs.flip());
    return (int) crc.getValue();
  }

  /** The writer stopped: the blocks still queued give their buffers back. */
  private void releaseQueued() {
    Object item;
    while ((item = work.poll()) != null) {
      if (item instanceof Block b) {
        b.release().run();
      }
    }
  }

  private void syncer() throws IOException, InterruptedException {
    verifyPrefix();
    while (true) {
      Object item = toSync.take();
      if (item == STOP || stopped > SYNCER) {
        return;
      }
      Interval i = (Interval) item;
      out.force(i.token() == FINISH); // everything written so far, this interval included
      faults.afterForce(slot, i.start(), i.end());
      for (long[] block : i.blocks()) {
        long crc = crcOf(block[0], (int) block[1]);
        if (crc != block[2]) {
          throw mismatch(block[0], block[0] + block[1], crc, block[2], "was written");
        }
      }
      toPersist.add(i);
      if (i.token() == FINISH) {
        return;
      }
    }
  }

  private void persister() throws InterruptedException {
    while (true) {
      Object item = toPersist.take();
      if (item == STOP || stopped > PERSISTER) {
        return;
      }
      Interval i = (Interval) item;
      if (i.token() == FINISH) {
        done = true;
        return;
      }
      regions.add(new Region(i.end(), i.crc32c()));
      checkpointer.persist(i.token(), List.copyOf(regions));
      ahead.release();
      synchronized (lock) {
        persisted++;
        lock.notifyAll();
      }
    }
  }

  /** A resumed install: the prefix written before the interruption must still read back as it was. */
  private void verifyPrefix() throws IOException {
    long from = 0;
    for (Region r : List.copyOf(regions)) {
      List<long[]> blocks = new ArrayList<>();
      for (long pos = from; pos < r.end(); pos += BLOCK) {
        int n = (int) Math.min(BLOCK, r.end() - pos);
        blocks.add(new long[] {pos, n, crcOf(pos, n)});
      }
      int crc = intervalCrc(blocks);
      if (crc != r.crc32c()) {
        throw mismatch(from, r.end(), crc & 0xffffffffL, r.crc32c() & 0xffffffffL, "was written before the interruption");
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
