package org.edgesdk.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.Acknowledgement;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.LaneConfig;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.OverflowPolicy;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue on one MVStore file. Every MVStore call and every piece of mutable state is
 * confined to one dedicated I/O thread that no other code can reach, so no interrupt ever lands on
 * a thread doing file I/O (an interrupt closes a plain MVStore's channel).
 */
public final class MvQueue implements DurableQueue {
  private static final Logger LOG = LoggerFactory.getLogger(MvQueue.class);

  /** The store file name inside the queue directory. */
  public static final String STORE_FILE = "queue.mv.db";
  /**
   * The name of the compacted copy being written inside the queue directory; it becomes the store
   * only through an atomic rename after it was forced, and a leftover one is deleted on open.
   */
  public static final String REWRITE_FILE = STORE_FILE + ".rewrite";
  /**
   * The constant of the space bound: the store file is rewritten when it exceeds twice the live
   * record bytes plus this many bytes (16 MiB).
   */
  public static final long REWRITE_SLACK_BYTES = 16L << 20;
  /**
   * Uncommitted record bytes after which the I/O thread commits, bounding one MVStore chunk's size.
   * 2 MiB keeps a commit's serialised chunk within the 4 MiB up to which MVStore reuses its write
   * buffer; beyond that every commit allocates and grows a fresh buffer.
   */
  static final long MAX_UNCOMMITTED_BYTES = 2L << 20;
  /** The lock file name inside the queue directory. */
  public static final String LOCK_FILE = "queue.lock";
  /**
   * The queue's own format version, recorded in the store's meta map. Format 2 stores several
   * records per value of the {@code messages} map ({@link StoredChunk}); format 1 stored one record
   * per value, which format 2 reads as a chunk of one, so a format 1 store opens and is marked
   * format 2 (an SDK that reads format 1 only then refuses it with a clear error).
   */
  public static final int FORMAT_VERSION = 2;
  /** How long the I/O thread lingers after a small batch of BUFFERED enqueues. */
  static final long LINGER_NANOS = 100_000;
  /** Batches smaller than this, of BUFFERED enqueues only, make the I/O thread linger. */
  static final int LINGER_BELOW = 64;
  /** Record bytes after which the chunk being built is put into the store. */
  static final int MAX_CHUNK_BYTES = 32 << 10;
  /** Records after which the chunk being built is put into the store. */
  static final int MAX_CHUNK_RECORDS = 256;
  static final String DEAD_LETTER_CURSOR = "$dead-letter";
  static final String HEADER_DEAD_CURSOR = "edgesdk.deadLetter.cursor";
  static final String HEADER_DEAD_ATTEMPTS = "edgesdk.deadLetter.attempts";

  private final QueueConfig config;
  private final Path directory;
  private final Path storeFile;
  private final String filePrefix;
  private final LinkedBlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
  /** Assigns the ids of messages enqueued without one (time-ordered UUIDs, see {@link MessageIds}). */
  private final MessageIds ids = new MessageIds(new java.security.SecureRandom());
  private final java.util.concurrent.ConcurrentHashMap<String, byte[]> laneBytes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Thread ioThread;
  private volatile boolean closed;
  /**
   * Whether the I/O thread is lingering after a small batch of BUFFERED enqueues: it parks without
   * waiting on {@link #tasks}, so further BUFFERED enqueues do not wake it one by one; an enqueue or
   * call that someone waits for unparks it.
   */
  private volatile boolean lingering;
  private volatile @Nullable EdgeException failure;

  // ---- state below is touched by the I/O thread only ----
  private @Nullable FileChannel lockChannel;
  private @Nullable FileLock lock;
  private @Nullable MVStore store;
  // assigned by openOnIoThread before any other task runs
  @SuppressWarnings("NullAway.Init")
  private MVMap<Long, byte[]> messages;
  @SuppressWarnings("NullAway.Init")
  private MVMap<String, String> meta;
  @SuppressWarnings("NullAway.Init")
  private MVMap<Long, byte[]> quarantine;
  /** Every chunk in the {@code messages} map and the one being built, by key: the message index. */
  private final java.util.TreeMap<Long, ChunkInfo> chunks = new java.util.TreeMap<>();
  /** Live messages in the index. */
  private long liveMessages;
  /** Chunks with records removed since they were last put; rewritten before the next commit. */
  private final List<ChunkInfo> dirtyChunks = new ArrayList<>();
  /** The chunk being built: records appended since it was started, not yet in the store. */
  private final long[] pendingSequences = new long[MAX_CHUNK_RECORDS];
  private final byte[][] pendingRecords = new byte[MAX_CHUNK_RECORDS][];
  private int pendingCount;
  private int pendingBytes;
  private @Nullable ChunkInfo pendingChunk;
  /** The last chunk parsed by {@link #readRecord}, valid while the map holds the same array. */
  private byte @Nullable [] parsedValue;
  private @Nullable StoredChunk parsedChunk;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  /** Each lane's configuration, looked up once per lane rather than once per message. */
  private final Map<String, LaneConfig> laneConfigs = new HashMap<>();
  private final Map<String, QueueCursor> cursors = new LinkedHashMap<>();
  private final List<PendingAck> awaitingCommit = new ArrayList<>();
  private final List<PendingAck> awaitingSync = new ArrayList<>();
  private long nextSequence;
  private long storeNanosAtOpen;
  private long tickerAtOpen;
  private long totalBytes;
  private long dropped;
  private long expired;
  private long deadLettered;
  private long quarantined;
  private boolean dirty;
  /** Whether the clock, sequence or counters changed since they were last written. */
  private boolean metaDirty;
  private long lastCommitNanos;
  private long lastBackgroundNanos;
  private volatile long commits;
  private int retentionMillis = -1;
  private long rewriteSlackBytes = REWRITE_SLACK_BYTES;
  private volatile long syncs;
  private volatile long rewrites;
  /** Record bytes put into the maps since the last commit. */
  private long uncommittedBytes;
  /** The store file's size right after the last rewrite (at open: the live bytes). */
  private long fileBytesAfterRewrite;
  /** The live record bytes at the last rewrite (or open). */
  private long liveBytesAfterRewrite;

  private MvQueue(QueueConfig config, String filePrefix) {
    this.config = config;
    this.directory = config.directory().toAbsolutePath();
    this.storeFile = directory.resolve(STORE_FILE);
    this.filePrefix = filePrefix;
    this.ioThread = new Thread(this::ioLoop, "edgesdk-store-io[" + directory.getFileName() + "]");
    this.ioThread.setDaemon(true);
  }

  /**
   * Opens a queue.
   *
   * @param config the configuration
   * @param filePrefix an MVStore file-system prefix such as {@code "nio:"} or a test's fault-injecting
   *     wrapper; empty for the default
   * @return the open queue
   */
  public static MvQueue open(QueueConfig config, String filePrefix) {
    return open(config, filePrefix, -1);
  }

  /**
   * Opens a queue with a non-default MVStore retention time. Production code keeps MVStore's
   * default (45 s): freed chunks are not overwritten sooner, which keeps reordered writes safe after
   * a crash. Tests shorten it to show that space is reclaimed without waiting 45 s.
   *
   * @param config the configuration
   * @param filePrefix see {@link #open(QueueConfig, String)}
   * @param retentionMillis the retention time in milliseconds, or -1 for MVStore's default
   * @return the open queue
   */
  public static MvQueue open(QueueConfig config, String filePrefix, int retentionMillis) {
    return open(config, filePrefix, retentionMillis, REWRITE_SLACK_BYTES);
  }

  /**
   * Opens a queue with a non-default rewrite slack, so that crash tests rewrite the file often.
   *
   * @param config the configuration
   * @param filePrefix see {@link #open(QueueConfig, String)}
   * @param retentionMillis see {@link #open(QueueConfig, String, int)}
   * @param rewriteSlackBytes the constant of the space bound (production: {@link #REWRITE_SLACK_BYTES})
   * @return the open queue
   */
  public static MvQueue open(QueueConfig config, String filePrefix, int retentionMillis, long rewriteSlackBytes) {
    if (rewriteSlackBytes < 0) {
      throw new IllegalArgumentException("rewriteSlackBytes must not be negative, was " + rewriteSlackBytes);
    }
    MvQueue queue = new MvQueue(config, filePrefix);
    queue.retentionMillis = retentionMillis;
    queue.rewriteSlackBytes = rewriteSlackBytes;
    queue.ioThread.start();
    try {
      queue.call(() -> {
        queue.openOnIoThread();
        return null;
      });
    } catch (RuntimeException e) {
      queue.closed = true;
      queue.tasks.add(Task.STOP);
      joinUninterruptibly(queue.ioThread);
      throw e;
    }
    return queue;
  }

  // ================================================================== public API (any thread)

  @Override
  public Acknowledgement enqueue(NewMessage message) {
    checkUsable();
    byte[] payload = message.payload();
    if (payload.length > config.maxMessageBytes()) {
      throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds maxMessageBytes "
          + config.maxMessageBytes());
    }
    long now = config.clock().millis();
    Optional<UUID> given = message.id();
    UUID id = given.isPresent() ? given.get() : ids.next(now);
    long ttlNanos = message.ttl().map(MvQueue::saturatedNanos).orElse(-1L);
    // Encoded here, on the producer's thread, with sequence 0: the I/O thread only patches in the
    // sequence and the checksum, so the serial part of an enqueue stays small.
    StoredRecord record = new StoredRecord(id, 0, now, storeNanos(), ttlNanos,
        message.priority(), message.lane(), message.headers(), payload);
    byte[] bytes = record.encode(laneBytes(message.lane()));
    PendingAck ack = new PendingAck(id, message.durability());
    tasks.add(new EnqueueTask(message.durability(), record, bytes, ack));
    if (message.durability() != Durability.BUFFERED) {
      wakeIfLingering();
    }
    return ack;
  }

  @Override
  public Cursor cursor(String name) {
    java.util.Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 64) {
      throw new IllegalArgumentException("cursor name must be 1 to 64 characters and not blank, was '" + name + "'");
    }
    if (name.startsWith("$") || name.contains(",")) {
      throw new IllegalArgumentException("cursor names must not start with '$' or contain ',', was '" + name + "'");
    }
    return call(() -> cursorOnIo(name));
  }

  @Override
  public Cursor deadLetterCursor() {
    return call(() -> cursorOnIo(DEAD_LETTER_CURSOR));
  }

  @Override
  public List<Message> browse(long fromSequence, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    return call(() -> {
      List<Message> out = new ArrayList<>();
      // the chunk holding fromSequence starts at or before it
      Long first = messages.floorKey(fromSequence);
      Iterator<Long> keys = messages.keyIterator(first == null ? fromSequence : first);
      while (keys.hasNext() && out.size() < max) {
        long key = keys.next();
        ChunkInfo chunk = chunks.get(key);
        if (chunk == null) {
          continue;
        }
        for (long seq = Math.max(key, fromSequence); seq < key + chunk.span && out.size() < max; seq++) {
          if (chunk.isLive(seq)) {
            StoredRecord r = readRecord(seq);
            if (r != null) {
              out.add(toMessage(r, 0));
            }
          }
        }
      }
      return out;
    });
  }

  @Override
  public QueueStats stats() {
    return call(() -> {
      Map<String, QueueStats.LaneStats> laneStats = new LinkedHashMap<>();
      lanes.forEach((name, lane) -> {
        if (!lane.isEmpty()) {
          laneStats.put(name, new QueueStats.LaneStats(lane.size(), lane.bytes));
        }
      });
      long fileBytes;
      try {
        fileBytes = Files.size(storeFile);
      } catch (IOException e) {
        fileBytes = -1;
      }
      return new QueueStats(liveMessages, totalBytes, fileBytes, laneStats, dropped, expired,
          deadLettered, quarantined);
    });
  }

  @Override
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Object> done = new CompletableFuture<>();
    tasks.add(new CallTask(() -> {
      closeOnIoThread();
      return null;
    }, done));
    tasks.add(Task.STOP);
    wakeIfLingering();
    joinUninterruptibly(ioThread);
    try {
      done.join();
    } catch (CompletionException e) {
      throw PendingAck.rethrow(e.getCause());
    }
  }

  /** The lane in UTF-8, cached for the first lanes seen (a queue has a handful). */
  private byte[] laneBytes(String lane) {
    byte[] bytes = laneBytes.get(lane);
    if (bytes == null) {
      bytes = lane.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (laneBytes.size() < 64) {
        laneBytes.putIfAbsent(lane, bytes);
      }
    }
    return bytes;
  }

  private void wakeIfLingering() {
    if (lingering) {
      LockSupport.unpark(ioThread);
    }
  }

  private void checkUsable() {
    EdgeException f = failure;
    if (f != null) {
      throw new EdgeException(f.code(), f.problem(), f.remedy(), f);
    }
    if (closed) {
      throw new IllegalStateException("queue on " + directory + " is closed");
    }
  }

  /** Runs {@code work} on the I/O thread and waits, without being interruptible, for its result. */
  <T> T call(Supplier<T> work) {
    checkUsable();
    CompletableFuture<Object> future = new CompletableFuture<>();
    tasks.add(new CallTask(work::get, future));
    wakeIfLingering();
    try {
      @SuppressWarnings("unchecked")
      T result = (T) future.join();
      return result;
    } catch (CompletionException e) {
      throw PendingAck.rethrow(e.getCause());
    }
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ================================================================== I/O thread

  private sealed interface Task permits EnqueueTask, CallTask, StopTask {
    Task STOP = new StopTask();
  }

  private record StopTask() implements Task {}

  /** An enqueue: {@code bytes} is {@code record} encoded with sequence 0. */
  private record EnqueueTask(Durability durability, StoredRecord record, byte[] bytes, PendingAck ack)
      implements Task {}

  private record CallTask(Supplier<Object> work, CompletableFuture<Object> result) implements Task {}

  private void ioLoop() {
    List<Task> batch = new ArrayList<>();
    while (true) {
      Task first;
      try {
        long waitNanos = dirty || metaDirty
            ? Math.max(0, lastBackgroundNanos + config.commitInterval().toNanos() - System.nanoTime())
            : config.commitInterval().toNanos();
        first = tasks.poll(waitNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        // Nobody holds a reference to this thread; an interrupt can only come from a thread dump
        // tool or a JVM bug. Clear it so no FileChannel sees it, and carry on.
        continue;
      }
      if (first == null) {
        backgroundCommit();
        continue;
      }
      batch.clear();
      batch.add(first);
      tasks.drainTo(batch, 10_000);
      if (!config.maxSyncDelay().isZero() && containsSynced(batch)) {
        long deadline = System.nanoTime() + config.maxSyncDelay().toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
          try {
            Task more = tasks.poll(left, TimeUnit.NANOSECONDS);
            if (more != null) {
              batch.add(more);
              tasks.drainTo(batch, 10_000);
            }
          } catch (InterruptedException e) {
            // see above
          }
        }
      }
      boolean stop = false;
      for (Task task : batch) {
        if (task instanceof StopTask) {
          stop = true;
        } else if (task instanceof EnqueueTask e) {
          runEnqueue(e);
        } else if (task instanceof CallTask c) {
          runCall(c);
        }
      }
      finishBatch();
      if (System.nanoTime() - lastBackgroundNanos >= config.commitInterval().toNanos()
          || uncommittedBytes >= MAX_UNCOMMITTED_BYTES
          || (store != null && failure == null && needsRewrite())) {
        // the commit also rewrites the file when acknowledgements lowered the live bytes below
        // what the bound allows for the file
        backgroundCommit();
      }
      if (stop) {
        failRemaining();
        return;
      }
      linger(batch);
    }
  }

  /**
   * After a small batch of BUFFERED enqueues, parks briefly instead of waiting on the task queue, so
   * that a producer's next BUFFERED enqueues are taken as one batch rather than each waking this
   * thread (a futex wake and a context switch per message). A waiting producer, a call, a COMMITTED
   * or SYNCED enqueue and close unpark it at once, so only BUFFERED acknowledgements (which promise
   * no durability) can complete up to {@link #LINGER_NANOS} later.
   */
  private void linger(List<Task> batch) {
    if (batch.size() >= LINGER_BELOW || !tasks.isEmpty()) {
      return;
    }
    for (Task t : batch) {
      if (!(t instanceof EnqueueTask e) || e.durability() != Durability.BUFFERED) {
        return;
      }
    }
    lingering = true;
    if (tasks.isEmpty()) {
      LockSupport.parkNanos(this, LINGER_NANOS);
    }
    lingering = false;
    // an interrupt would make every later park return at once; nobody should interrupt this thread
    Thread.interrupted();
  }

  private static boolean containsSynced(List<Task> batch) {
    for (Task t : batch) {
      if (t instanceof EnqueueTask e && e.durability() == Durability.SYNCED) {
        return true;
      }
    }
    return false;
  }

  private void runCall(CallTask c) {
    try {
      if (store != null && failure == null) {
        // what a call reads or removes is in the store, not in the chunk being built
        flushPending();
      }
      c.result().complete(c.work().get());
    } catch (MVStoreException e) {
      // never leak an MVStore type through the API: a storage failure stops the queue like a
      // failed commit does
      c.result().completeExceptionally(storageFailure("reading or updating", e, 0));
    } catch (RuntimeException | Error e) {
      c.result().completeExceptionally(e);
    }
  }

  private void runEnqueue(EnqueueTask task) {
    EdgeException f = failure;
    if (f != null || store == null) {
      task.ack().future.completeExceptionally(f != null ? f : closedError());
      return;
    }
    try {
      StoredRecord record = task.record();
      byte[] bytes = task.bytes();
      EdgeException refused = makeRoom(record.lane(), bytes.length);
      if (refused != null) {
        dropped++;
        dirty = metaDirty = true;
        task.ack().future.completeExceptionally(refused);
        return;
      }
      long sequence = nextSequence++;
      StoredRecord.patchSequence(bytes, sequence);
      task.ack().sequence = sequence;
      append(sequence, bytes, record.lane(), record.priority(), record.createdStoreNanos(), record.ttlNanos());
      dirty = metaDirty = true;
      switch (task.durability()) {
        case BUFFERED -> task.ack().future.complete(sequence);
        case COMMITTED -> awaitingCommit.add(task.ack());
        case SYNCED -> awaitingSync.add(task.ack());
      }
    } catch (RuntimeException e) {
      EdgeException failed = storageFailure("writing a message to", e, 1);
      task.ack().future.completeExceptionally(failed);
    }
  }

  private static long saturatedNanos(java.time.Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Commits (and forces) for the acknowledgements gathered in this batch, then completes them. */
  private void finishBatch() {
    if (awaitingCommit.isEmpty() && awaitingSync.isEmpty()) {
      return;
    }
    int pending = awaitingCommit.size() + awaitingSync.size();
    String action = "committing to";
    try {
      commit();
      action = "forcing (fsync)";
      for (PendingAck a : awaitingCommit) {
        a.future.complete(a.sequence);
      }
      awaitingCommit.clear();
      if (!awaitingSync.isEmpty()) {
        store.sync();
        syncs++;
        for (PendingAck a : awaitingSync) {
          a.future.complete(a.sequence);
        }
        awaitingSync.clear();
      }
    } catch (RuntimeException e) {
      storageFailure(action, e, pending);
    }
  }

  private void backgroundCommit() {
    if (!(dirty || metaDirty) || store == null || failure != null) {
      return;
    }
    try {
      commit(true);
    } catch (RuntimeException e) {
      storageFailure("committing to", e, 0);
    }
  }

  private void commit() {
    commit(false);
  }

  /**
   * Commits. The store clock and the counters are written only with {@code withMeta} (background
   * commits, open and close), so a per-message commit rewrites less; after a crash they are at most
   * one commit interval old. The next sequence number goes with every commit, so a sequence number
   * is never reused, even after every message was acknowledged and the process crashed.
   */
  private void commit(boolean withMeta) {
    flushPending();
    flushDirtyChunks();
    String next = Long.toString(nextSequence);
    if (!next.equals(meta.get("sequence.next"))) {
      meta.put("sequence.next", next);
    }
    if (withMeta) {
      meta.put("clock.nanos", Long.toString(storeNanos()));
      meta.put("count.dropped", Long.toString(dropped));
      meta.put("count.expired", Long.toString(expired));
      meta.put("count.deadLettered", Long.toString(deadLettered));
      meta.put("count.quarantined", Long.toString(quarantined));
    }
    store.commit();
    commits++;
    uncommittedBytes = 0;
    dirty = false;
    lastCommitNanos = System.nanoTime();
    if (withMeta) {
      metaDirty = false;
      lastBackgroundNanos = lastCommitNanos;
    }
    if (needsRewrite()) {
      rewrite();
    }
  }

  /**
   * Whether the file exceeds the space bound (twice the live record bytes plus the slack,
   * {@link #REWRITE_SLACK_BYTES}) and a copy would be at least half the slack smaller. The copy's
   * size is predicted from the last one: its overhead beyond the live records (tree pages, cursor
   * maps, meta) plus today's live bytes; so a store whose maps outweigh its records is not copied
   * over and over, and a file left large by a drained queue is copied without waiting for growth.
   */
  private boolean needsRewrite() {
    long size = store.getFileStore().size();
    if (size <= 2 * totalBytes + rewriteSlackBytes) {
      return false;
    }
    long predictedCopy = Math.max(0, fileBytesAfterRewrite - liveBytesAfterRewrite) + totalBytes;
    return predictedCopy + rewriteSlackBytes / 2 <= size;
  }

  /**
   * Bounds the file by construction: copies every map into a fresh file, forces it, and renames it
   * over the store file. MVStore frees a chunk for reuse only after its retention time (45 s), so
   * under churn a single file holds everything written in the last 45 s however little of it is
   * live; the copy holds only the live data. Crash safety: until the atomic rename the old file is
   * the store and untouched (a leftover copy is deleted on open); the copy is complete and forced
   * before the rename, and the directory is forced after it. Neither MVStore's retention time nor
   * its chunk-moving compaction (h2database #2067) is involved. A copy that fails (a full disk, say)
   * leaves the queue on the old file and is retried after the file grew by half the slack again.
   */
  private void rewrite() {
    Path copyFile = directory.resolve(REWRITE_FILE);
    MVStore copy = null;
    try {
      Files.deleteIfExists(copyFile);
      copy = openMvStore(copyFile);
      long sinceCommit = 0;
      for (String name : store.getMapNames()) {
        MVMap<Object, Object> from = store.openMap(name);
        MVMap<Object, Object> to = copy.openMap(name);
        for (Iterator<Object> keys = from.keyIterator(null); keys.hasNext(); ) {
          Object key = keys.next();
          Object value = from.get(key);
          to.put(key, value);
          sinceCommit += value instanceof byte[] b ? b.length + 16 : 32;
          if (sinceCommit >= MAX_UNCOMMITTED_BYTES) {
            copy.commit();
            sinceCommit = 0;
          }
        }
      }
      copy.commit();
      copy.sync();
      copy.close();
      copy = null;
    } catch (IOException | RuntimeException e) {
      if (copy != null) {
        try {
          copy.closeImmediately();
        } catch (RuntimeException ignored) {
          // reporting the first failure
        }
      }
      try {
        Files.deleteIfExists(copyFile);
      } catch (IOException ignored) {
        // deleted on the next open
      }
      // retried once the file grew by half the slack
      fileBytesAfterRewrite = store.getFileStore().size();
      liveBytesAfterRewrite = totalBytes;
      LOG.warn("compacting the queue store {} into a fresh copy failed ({}); it stays on the old file",
          storeFile, e.toString());
      return;
    }
    try {
      Files.move(copyFile, storeFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // the rename did not happen: the old file is still the store
      try {
        Files.deleteIfExists(copyFile);
      } catch (IOException ignored) {
        // deleted on the next open
      }
      fileBytesAfterRewrite = store.getFileStore().size();
      liveBytesAfterRewrite = totalBytes;
      LOG.warn("renaming {} over the queue store {} failed ({}); it stays on the old file", copyFile,
          storeFile, e.toString());
      return;
    }
    try {
      forceDirectory();
    } catch (IOException e) {
      // Unforced, the rename may be undone by a power loss, which would bring back the old file
      // without what is acknowledged from now on: a storage failure.
      throw new java.io.UncheckedIOException("forcing the directory " + directory + " after renaming "
          + copyFile + " over " + storeFile + " failed", e);
    }
    store.closeImmediately();
    store = openMvStore(storeFile);
    openMaps();
    for (QueueCursor c : cursors.values()) {
      c.rebind(store.openMap("cursor." + c.name() + ".attempts"), store.openMap("cursor." + c.name() + ".acked"));
    }
    fileBytesAfterRewrite = store.getFileStore().size();
    liveBytesAfterRewrite = totalBytes;
    rewrites++;
  }

  private void forceDirectory() throws IOException {
    try (FileChannel dirChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
      dirChannel.force(true);
    }
  }

  private void openMaps() {
    if (retentionMillis >= 0) {
      store.setRetentionTime(retentionMillis);
    }
    messages = store.openMap("messages");
    meta = store.openMap("meta");
    quarantine = store.openMap("quarantine");
  }

  /**
   * Records a storage failure: fails every waiting acknowledgement, closes the store without
   * writing further, and makes every later call fail with the same diagnosis.
   */
  private EdgeException storageFailure(String action, RuntimeException e, int pending) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof IOException)) {
      cause = cause.getCause();
    }
    String detail = String.valueOf(cause.getMessage());
    boolean full = detail.contains("No space left") || detail.contains("ENOSPC");
    EdgeException f = new EdgeException(ErrorCode.IO_ERROR,
        action + " the queue store " + storeFile + " failed (" + cause.getClass().getSimpleName() + ": "
            + detail + ")" + (pending > 0 ? "; " + pending + " message(s) waiting for their acknowledgement were not acknowledged" : "")
            + "; the queue refuses further work",
        (full ? "free space on the file system holding " + directory : "check the storage device and the kernel log")
            + ", then reopen the queue: every message acknowledged before the failure is kept", e);
    if (failure == null) {
      failure = f;
      LOG.error("{}", f.getMessage());
    }
    for (PendingAck a : awaitingCommit) {
      a.future.completeExceptionally(failure);
    }
    for (PendingAck a : awaitingSync) {
      a.future.completeExceptionally(failure);
    }
    awaitingCommit.clear();
    awaitingSync.clear();
    Arrays.fill(pendingRecords, null);
    pendingCount = 0;
    pendingBytes = 0;
    pendingChunk = null;
    parsedValue = null;
    parsedChunk = null;
    if (store != null) {
      try {
        store.closeImmediately();
      } catch (RuntimeException ignored) {
        // already failing; the store is unusable either way
      }
      store = null;
    }
    releaseLock();
    return failure;
  }

  private EdgeException closedError() {
    return new EdgeException(ErrorCode.IO_ERROR, "the queue on " + directory + " is closed",
        "open the queue again");
  }

  private void failRemaining() {
    Task t;
    while ((t = tasks.poll()) != null) {
      if (t instanceof EnqueueTask e) {
        e.ack().future.completeExceptionally(failure != null ? failure : closedError());
      } else if (t instanceof CallTask c) {
        c.result().completeExceptionally(new IllegalStateException("queue on " + directory + " is closed"));
      }
    }
  }

  private void closeOnIoThread() {
    if (store != null && failure == null) {
      // enqueues taken in the same batch as the close: acknowledge them before the store closes
      // (a close in mid-batch used to leave them to a commit on the closed store, which failed them)
      finishBatch();
    }
    if (store == null) {
      // after a storage failure, which every waiting acknowledgement and later call has reported
      releaseLock();
      return;
    }
    try {
      dirty = metaDirty = true;
      commit(true);
      store.sync();
      store.close();
      store = null;
    } catch (RuntimeException e) {
      throw storageFailure("closing", e, 0);
    } finally {
      releaseLock();
    }
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      LOG.warn("releasing the lock {} failed: {}", directory.resolve(LOCK_FILE), e.toString());
    }
    lock = null;
    lockChannel = null;
  }

  // ------------------------------------------------------------------ open

  private void openOnIoThread() {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot create the queue directory " + directory + " (" + e + ")",
          "create it or choose a writable directory", e);
    }
    acquireLock();
    try {
      Files.deleteIfExists(directory.resolve(REWRITE_FILE));
      store = openStore();
      openMaps();
      checkFormat();
      storeNanosAtOpen = parse(meta.get("clock.nanos"));
      tickerAtOpen = config.ticker().read();
      dropped = parse(meta.get("count.dropped"));
      expired = parse(meta.get("count.expired"));
      deadLettered = parse(meta.get("count.deadLettered"));
      quarantined = parse(meta.get("count.quarantined"));
      nextSequence = parse(meta.get("sequence.next"));
      loadIndex();
      String known = meta.getOrDefault("cursors", "");
      for (String name : known.split(",")) {
        if (!name.isEmpty()) {
          cursorOnIo(name);
        }
      }
      for (String name : config.cursors()) {
        cursorOnIo(name);
      }
      // until a rewrite measures it, assume a copy holds the live records only: a file that
      // exceeds the bound at open is rewritten by the first commit
      fileBytesAfterRewrite = totalBytes;
      liveBytesAfterRewrite = totalBytes;
      dirty = metaDirty = true;
      commit(true);
      store.sync();
      // a new store file's directory entry must survive a power loss like its contents
      forceDirectory();
    } catch (IOException | RuntimeException e) {
      if (store != null) {
        try {
          store.closeImmediately();
        } catch (RuntimeException ignored) {
          // reporting the first failure
        }
        store = null;
      }
      releaseLock();
      if (e instanceof EdgeException edge) {
        throw edge;
      }
      throw new EdgeException(ErrorCode.IO_ERROR, "opening the queue store " + storeFile + " failed (" + e
          + "); the file was left in place", "check the storage device, free space and file permissions, "
          + "then open the queue again", e);
    }
  }

  private static long parse(@Nullable String value) {
    return value == null ? 0 : Long.parseLong(value);
  }

  private void acquireLock() {
    Path lockFile = directory.resolve(LOCK_FILE);
    try {
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      releaseLock();
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot lock " + lockFile + " (" + e + ")",
          "make the queue directory writable by this process", e);
    }
    if (lock == null) {
      releaseLock();
      throw new EdgeException(ErrorCode.BUSY,
          "the queue in " + directory + " is already open (the lock on " + lockFile + " is held by this or another process)",
          "close the other queue first (one process, one open queue per directory), or use another directory");
    }
  }

  private MVStore openStore() {
    try {
      return openMvStore(storeFile);
    } catch (MVStoreException e) {
      if (!isUnreadable(e)) {
        throw new EdgeException(ErrorCode.IO_ERROR, "opening the queue store " + storeFile + " failed ("
            + e.getMessage() + "); the file was left in place", "check the storage device, free space and "
            + "file permissions, then open the queue again", e);
      }
      return moveAsideAndMaybeStartFresh(e);
    } catch (IllegalStateException | IllegalArgumentException e) {
      return moveAsideAndMaybeStartFresh(e);
    }
  }

  /** Whether MVStore failed because of the file's contents, not because the device failed. */
  private static boolean isUnreadable(MVStoreException e) {
    switch (e.getErrorCode()) {
      case org.h2.mvstore.DataUtils.ERROR_WRITING_FAILED:
      case org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED:
        return false;
      case org.h2.mvstore.DataUtils.ERROR_READING_FAILED:
        return !(e.getCause() instanceof IOException) || e.getCause() instanceof java.io.EOFException;
      default:
        return true;
    }
  }

  private MVStore moveAsideAndMaybeStartFresh(RuntimeException e) {
    Path aside = storeFile.resolveSibling(STORE_FILE + ".unreadable-"
        + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC).format(Instant.now()));
    try {
      Files.move(storeFile, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException moveFailed) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, "cannot open the queue store " + storeFile
          + " (" + e.getMessage() + ") and cannot move it aside (" + moveFailed + ")",
          "copy the file away for inspection, then remove it to start an empty queue", e);
    }
    if (!config.startFreshIfUnreadable()) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, "cannot open the queue store " + storeFile + " ("
          + e.getMessage() + "); it was moved, not deleted, to " + aside,
          "inspect or restore " + aside + ", or open the queue with startFreshIfUnreadable(true) to start empty",
          e);
    }
    LOG.warn("cannot open the queue store {} ({}); moved it to {} and started an empty queue "
        + "(startFreshIfUnreadable)", storeFile, e.getMessage(), aside);
    return openMvStore(storeFile);
  }

  private MVStore openMvStore(Path file) {
    // Commits happen on the I/O thread only: no MVStore background writer (autoCommitDisabled);
    // the retention time stays at MVStore's default so reordered writes after a crash stay safe.
    return new MVStore.Builder()
        .fileName(filePrefix + file)
        .autoCommitDisabled()
        .open();
  }

  private void checkFormat() {
    String format = meta.get("format");
    if ("1".equals(format)) {
      // a format 1 value is one record, read as a chunk of one; from now on chunks are written
      meta.put("format", Integer.toString(FORMAT_VERSION));
      LOG.info("the queue store {} has format version 1; it is read as is and marked format {}", storeFile,
          FORMAT_VERSION);
    } else if (format == null) {
      if (!messages.isEmpty()) {
        throw new EdgeException(ErrorCode.CORRUPT_DATA, "the queue store " + storeFile
            + " holds messages but no format version", "move the file away and start an empty queue");
      }
      meta.put("format", Integer.toString(FORMAT_VERSION));
      meta.put("createdBy", "edge-sdk-store, h2-mvstore " + org.h2.mvstore.DataUtils.class.getPackage().getImplementationVersion());
    } else if (!format.equals(Integer.toString(FORMAT_VERSION))) {
      throw new EdgeException(ErrorCode.UNSUPPORTED, "the queue store " + storeFile + " has format version "
          + format + ", this SDK reads format " + FORMAT_VERSION,
          "open it with the SDK version that wrote it (" + meta.getOrDefault("createdBy", "unknown") + ")");
    }
  }

  private void loadIndex() {
    Map<Long, byte[]> corrupt = new LinkedHashMap<>();
    List<Long> corruptChunks = new ArrayList<>();
    long maxSequence = -1;
    for (Iterator<Long> keys = messages.keyIterator(null); keys.hasNext(); ) {
      long key = keys.next();
      byte[] value = messages.get(key);
      StoredChunk chunk;
      try {
        chunk = StoredChunk.parse(key, value);
      } catch (StoredRecord.CorruptRecordException e) {
        corruptChunks.add(key);
        LOG.warn("quarantined a chunk with a corrupt header in {}: {}", storeFile, e.getMessage());
        continue;
      }
      ChunkInfo info = new ChunkInfo(key, (int) Math.min(1 << 16, chunk.sequence(chunk.count() - 1) - key + 1));
      chunks.put(key, info);
      for (int i = 0; i < chunk.count(); i++) {
        long seq = chunk.sequence(i);
        byte[] bytes = chunk.record(i);
        maxSequence = Math.max(maxSequence, seq);
        try {
          StoredRecord r = StoredRecord.decode(seq, bytes);
          index(info, seq, r.lane(), r.priority(), r.createdStoreNanos(), r.ttlNanos(), bytes.length);
        } catch (StoredRecord.CorruptRecordException | IllegalArgumentException e) {
          corrupt.put(seq, bytes);
          markDirty(info);
          LOG.warn("quarantined a corrupt message in {}: {}", storeFile, e.getMessage());
        }
      }
    }
    // the rest of a chunk with a corrupt record is rewritten without it by the commit that ends the open
    corrupt.forEach((seq, bytes) -> {
      quarantine.put(seq, bytes);
      quarantined++;
    });
    for (long key : corruptChunks) {
      quarantine.putIfAbsent(key, messages.remove(key));
      quarantined++;
    }
    if (maxSequence >= nextSequence) {
      nextSequence = maxSequence + 1;
    }
  }

  // ------------------------------------------------------------------ index and capacity

  /**
   * An index entry: what peek and the caps need without reading the record, and the key of the
   * chunk that holds the record.
   */
  record Entry(long sequence, long chunk, String lane, int priority, int bytes, long createdStoreNanos,
      long ttlNanos) {}


  /**
   * One lane's index: per priority, the lane's sequences in ascending order (new messages, dead
   * letters and the load on open all come in ascending sequence) with their chunks. A removal only
   * marks the chunk's slot; removed entries are skipped and dropped from the front, and a deque is
   * compacted once half of it is removed, so adds and removals stay constant-time (amortised).
   * Delivery order is priority 9..0, then sequence; the oldest-first drops of the caps take the
   * lowest of the deques' first live entries.
   */
  static final class Lane {
    private final SequenceDeque[] byPriority = new SequenceDeque[NewMessage.MAX_PRIORITY + 1];
    private int size;
    long bytes;

    Lane() {
      for (int p = 0; p <= NewMessage.MAX_PRIORITY; p++) {
        byPriority[p] = new SequenceDeque();
      }
    }

    void add(ChunkInfo chunk, long sequence, int priority) {
      byPriority[priority].add(chunk, sequence);
      size++;
    }

    /** Notes that a live entry of {@code priority} was removed from its chunk. */
    void removed(int priority) {
      byPriority[priority].removed();
      size--;
    }

    boolean isEmpty() {
      return size == 0;
    }

    int size() {
      return size;
    }

    /** The entry with the lowest sequence; the lane must not be empty. */
    Entry oldest() {
      SequenceDeque best = null;
      int bestIndex = -1;
      for (SequenceDeque d : byPriority) {
        int i = d.firstLive();
        if (i >= 0 && (best == null || d.sequences[i] < best.sequences[bestIndex])) {
          best = d;
          bestIndex = i;
        }
      }
      if (best == null) {
        throw new java.util.NoSuchElementException("the lane is empty");
      }
      return best.chunks[bestIndex].entry(best.sequences[bestIndex]);
    }

    /** The entries in delivery order: priority 9..0, then sequence. */
    Iterator<Entry> deliveryOrder() {
      return new Iterator<>() {
        private int p = NewMessage.MAX_PRIORITY;
        private int i = byPriority[p].head;

        @Override
        public boolean hasNext() {
          while (true) {
            SequenceDeque d = byPriority[p];
            while (i < d.tail && !d.chunks[i].isLive(d.sequences[i])) {
              i++;
            }
            if (i < d.tail) {
              return true;
            }
            if (p == 0) {
              return false;
            }
            p--;
            i = byPriority[p].head;
          }
        }

        @Override
        public Entry next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          SequenceDeque d = byPriority[p];
          Entry e = d.chunks[i].entry(d.sequences[i]);
          i++;
          return e;
        }
      };
    }
  }

  /** Sequences in ascending order with their chunks, removed ones skipped lazily. */
  static final class SequenceDeque {
    long[] sequences = new long[8];
    ChunkInfo[] chunks = new ChunkInfo[8];
    int head;
    int tail;
    /** Removed entries still between head and tail. */
    private int removed;

    void add(ChunkInfo chunk, long sequence) {
      if (tail == sequences.length) {
        int n = tail - head;
        int capacity = n < sequences.length / 2 ? sequences.length : sequences.length * 2;
        long[] s = new long[capacity];
        ChunkInfo[] c = new ChunkInfo[capacity];
        System.arraycopy(sequences, head, s, 0, n);
        System.arraycopy(chunks, head, c, 0, n);
        sequences = s;
        chunks = c;
        head = 0;
        tail = n;
      }
      sequences[tail] = sequence;
      chunks[tail++] = chunk;
    }

    void removed() {
      removed++;
      if (removed > 32 && removed > (tail - head) / 2) {
        compact();
      }
    }

    private void compact() {
      int live = tail - head - removed;
      int capacity = Math.max(8, Integer.highestOneBit(Math.max(1, live)) * 2);
      long[] s = new long[capacity];
      ChunkInfo[] c = new ChunkInfo[capacity];
      int n = 0;
      for (int i = head; i < tail; i++) {
        if (chunks[i].isLive(sequences[i])) {
          s[n] = sequences[i];
          c[n++] = chunks[i];
        }
      }
      sequences = s;
      chunks = c;
      head = 0;
      tail = n;
      removed = 0;
    }

    /** The index of the first live entry, dropping removed ones before it; -1 if none. */
    int firstLive() {
      while (head < tail && !chunks[head].isLive(sequences[head])) {
        chunks[head] = null;
        head++;
        removed--;
      }
      if (head == tail) {
        head = 0;
        tail = 0;
        return -1;
      }
      return head;
    }
  }

  private void index(ChunkInfo chunk, long sequence, String laneName, int priority, long createdStoreNanos,
      long ttlNanos, int bytes) {
    int p = Math.max(0, Math.min(NewMessage.MAX_PRIORITY, priority));
    chunk.add(sequence, laneName, p, bytes, createdStoreNanos, ttlNanos);
    Lane lane = lanes.get(laneName);
    if (lane == null) {
      lane = new Lane();
      lanes.put(laneName, lane);
    }
    lane.add(chunk, sequence, p);
    lane.bytes += bytes;
    totalBytes += bytes;
    liveMessages++;
  }

  /** The chunk holding the live record {@code seq}, or null. */
  private @Nullable ChunkInfo chunkOf(long seq) {
    ChunkInfo pending = pendingChunk;
    if (pending != null && seq >= pending.key) {
      return pending.isLive(seq) ? pending : null;
    }
    Map.Entry<Long, ChunkInfo> floor = chunks.floorEntry(seq);
    return floor != null && floor.getValue().isLive(seq) ? floor.getValue() : null;
  }

  /**
   * Adds an encoded record to the chunk being built and to the index; the chunk goes into the
   * store when it is full, and before any commit, call or removal that involves it.
   */
  private void append(long sequence, byte[] bytes, String lane, int priority, long createdStoreNanos,
      long ttlNanos) {
    if (pendingCount == MAX_CHUNK_RECORDS || (pendingCount > 0 && pendingBytes + bytes.length > MAX_CHUNK_BYTES)) {
      flushPending();
    }
    ChunkInfo chunk = pendingChunk;
    if (chunk == null) {
      chunk = new ChunkInfo(sequence, MAX_CHUNK_RECORDS);
      chunks.put(sequence, chunk);
      pendingChunk = chunk;
    }
    pendingSequences[pendingCount] = sequence;
    pendingRecords[pendingCount++] = bytes;
    pendingBytes += bytes.length;
    index(chunk, sequence, lane, priority, createdStoreNanos, ttlNanos, bytes.length);
    uncommittedBytes += bytes.length;
  }

  /** Puts the chunk being built into the store. */
  private void flushPending() {
    ChunkInfo chunk = pendingChunk;
    if (chunk == null) {
      return;
    }
    byte[] value = StoredChunk.build(pendingSequences, pendingRecords, pendingCount, pendingBytes);
    Arrays.fill(pendingRecords, 0, pendingCount, null);
    pendingCount = 0;
    pendingBytes = 0;
    pendingChunk = null;
    chunk.trim();
    messages.put(chunk.key, value);
  }

  private void markDirty(ChunkInfo chunk) {
    if (!chunk.dirty) {
      chunk.dirty = true;
      dirtyChunks.add(chunk);
    }
  }

  /**
   * Rewrites every chunk that lost records since it was put: without its removed records, or not at
   * all once none is live. Runs before each commit, so a removal is durable with the commit that
   * follows it, as when every record had its own value.
   */
  private void flushDirtyChunks() {
    for (ChunkInfo chunk : dirtyChunks) {
      chunk.dirty = false;
      if (chunk.live <= 0 || chunks.get(chunk.key) != chunk) {
        messages.remove(chunk.key);
        chunks.remove(chunk.key, chunk);
        continue;
      }
      byte[] value = messages.get(chunk.key);
      if (value == null) {
        continue;
      }
      StoredChunk stored;
      try {
        stored = parsed(chunk.key, value);
      } catch (StoredRecord.CorruptRecordException e) {
        quarantineChunk(chunk, value, e);
        continue;
      }
      long[] sequences = new long[stored.count()];
      byte[][] records = new byte[stored.count()][];
      int count = 0;
      int bytes = 0;
      for (int i = 0; i < stored.count(); i++) {
        if (chunk.isLive(stored.sequence(i))) {
          sequences[count] = stored.sequence(i);
          records[count] = stored.record(i);
          bytes += records[count++].length;
        }
      }
      if (count == 0) {
        messages.remove(chunk.key);
        chunks.remove(chunk.key);
      } else if (count < stored.count()) {
        messages.put(chunk.key, StoredChunk.build(sequences, records, count, bytes));
      }
    }
    dirtyChunks.clear();
  }

  /** Moves a chunk whose header is corrupt into quarantine as a whole, with every record it held. */
  private void quarantineChunk(ChunkInfo chunk, byte[] value, RuntimeException why) {
    LOG.warn("quarantined a chunk with a corrupt header in {}: {}", storeFile, why.getMessage());
    for (long seq = chunk.key; seq < chunk.key + chunk.span; seq++) {
      if (chunk.isLive(seq)) {
        unindex(chunk, seq);
      }
    }
    chunks.remove(chunk.key, chunk);
    messages.remove(chunk.key);
    quarantine.putIfAbsent(chunk.key, value);
    quarantined++;
    dirty = metaDirty = true;
  }

  /** The parsed header of a chunk value, reusing the last parse while the value is the same array. */
  private StoredChunk parsed(long key, byte[] value) {
    StoredChunk chunk = parsedChunk;
    if (value != parsedValue || chunk == null) {
      chunk = StoredChunk.parse(key, value);
      parsedValue = value;
      parsedChunk = chunk;
    }
    return chunk;
  }

  /** Removes a message for every cursor. */
  void delete(long seq) {
    ChunkInfo chunk = chunkOf(seq);
    if (chunk == null) {
      return;
    }
    if (chunk == pendingChunk) {
      flushPending();
    }
    unindex(chunk, seq);
    markDirty(chunk);
    dirty = metaDirty = true;
  }

  /** Removes a live record from the index, the counters and the cursors, not from its stored chunk. */
  private void unindex(ChunkInfo chunk, long seq) {
    Entry e = chunk.remove(seq);
    Lane lane = lanes.get(e.lane());
    lane.removed(e.priority());
    lane.bytes -= e.bytes();
    totalBytes -= e.bytes();
    liveMessages--;
    for (QueueCursor c : cursors.values()) {
      c.forget(seq);
    }
  }

  /**
   * Makes room for a new record of {@code bytes} in {@code laneName} under the lane and queue caps.
   * Rules: a lane over its own cap drops its own oldest (DROP_OLDEST) or refuses (REJECT_NEW). When
   * the queue-wide cap is reached, a DROP_OLDEST lane that holds more than its reserve drops its own
   * oldest; otherwise the oldest message of another DROP_OLDEST lane above its reserve goes, which is
   * also how a lane of any policy claims its reserve. Bytes within a lane's reserve are never taken
   * by another lane.
   *
   * @return null when it fits (after dropping the oldest where the policy allows), or the refusal
   */
  private @Nullable EdgeException makeRoom(String laneName, int bytes) {
    LaneConfig lc = laneConfigs.computeIfAbsent(laneName, config::lane);
    Lane lane = lanes.get(laneName);
    long laneBytes = lane == null ? 0 : lane.bytes;
    if (bytes > lc.maxBytes() || bytes > config.maxBytes()) {
      return full(laneName, bytes, "a single record of " + bytes + " bytes exceeds the cap");
    }
    // lane cap
    while (laneBytes + bytes > lc.maxBytes()) {
      if (lc.overflow() == OverflowPolicy.REJECT_NEW || lane == null || lane.isEmpty()) {
        return full(laneName, bytes, "lane '" + laneName + "' holds " + laneBytes + " of its "
            + lc.maxBytes() + " bytes");
      }
      dropOldest(lane);
      laneBytes = lane.bytes;
    }
    // queue cap, honouring the other lanes' reserved shares
    long reservedForOthers = 0;
    for (LaneConfig other : config.lanes().values()) {
      if (!other.name().equals(laneName)) {
        Lane l = lanes.get(other.name());
        reservedForOthers += Math.max(0, other.reservedBytes() - (l == null ? 0 : l.bytes));
      }
    }
    while (totalBytes + bytes + reservedForOthers > config.maxBytes()) {
      // drop from this lane first, then from lanes above their reserve that drop oldest
      Lane victim = null;
      if (lc.overflow() == OverflowPolicy.DROP_OLDEST && lane != null && !lane.isEmpty()
          && laneBytes > lc.reservedBytes()) {
        victim = lane;
      }
      if (victim == null && (lc.overflow() == OverflowPolicy.DROP_OLDEST
          || (lc.reservedBytes() > 0 && laneBytes + bytes <= lc.reservedBytes()))) {
        victim = laneToEvictFor(laneName);
      }
      if (victim == null) {
        return full(laneName, bytes, "the queue holds " + totalBytes + " of its " + config.maxBytes()
            + " bytes (" + reservedForOthers + " reserved for other lanes)");
      }
      dropOldest(victim);
      laneBytes = lane == null ? 0 : lane.bytes;
    }
    return null;
  }

  private @Nullable Lane laneToEvictFor(String laneName) {
    for (Map.Entry<String, Lane> e : lanes.entrySet()) {
      LaneConfig other = config.lane(e.getKey());
      if (!e.getKey().equals(laneName) && other.overflow() == OverflowPolicy.DROP_OLDEST
          && e.getValue().bytes > other.reservedBytes() && !e.getValue().isEmpty()) {
        return e.getValue();
      }
    }
    return null;
  }

  private void dropOldest(Lane lane) {
    delete(lane.oldest().sequence());
    dropped++;
  }

  private EdgeException full(String lane, int bytes, String why) {
    return new EdgeException(ErrorCode.BUSY, "message of " + bytes + " bytes refused for lane '" + lane
        + "': " + why, "consume or raise the cap of lane '" + lane + "', or use OverflowPolicy.DROP_OLDEST");
  }

  // ------------------------------------------------------------------ reading

  long storeNanos() {
    return storeNanosAtOpen + (config.ticker().read() - tickerAtOpen);
  }

  boolean isExpired(Entry e, long now) {
    return e.ttlNanos() >= 0 && now - e.createdStoreNanos() >= e.ttlNanos();
  }

  void expire(long seq) {
    delete(seq);
    expired++;
  }

  /** Reads and checks a record; a record that fails its checksum now is quarantined. */
  @Nullable StoredRecord readRecord(long seq) {
    ChunkInfo chunk = chunkOf(seq);
    if (chunk == null) {
      return null;
    }
    if (chunk == pendingChunk) {
      flushPending();
    }
    byte[] value = messages.get(chunk.key);
    if (value == null) {
      return null;
    }
    StoredChunk stored;
    try {
      stored = parsed(chunk.key, value);
    } catch (StoredRecord.CorruptRecordException ex) {
      quarantineChunk(chunk, value, ex);
      return null;
    }
    int i = stored.indexOf(seq);
    if (i < 0) {
      return null;
    }
    byte[] bytes = stored.record(i);
    try {
      return StoredRecord.decode(seq, bytes);
    } catch (StoredRecord.CorruptRecordException ex) {
      LOG.warn("quarantined a corrupt message in {}: {}", storeFile, ex.getMessage());
      delete(seq);
      quarantine.put(seq, bytes);
      quarantined++;
      return null;
    }
  }

  static Message toMessage(StoredRecord r, int attempts) {
    return new Message(r.id().toString(), r.sequence(), r.lane(), r.priority(), r.headers(), r.payload(),
        Instant.ofEpochMilli(r.createdEpochMillis()),
        r.ttlNanos() < 0 ? Optional.empty() : Optional.of(java.time.Duration.ofNanos(r.ttlNanos())), attempts);
  }

  private QueueCursor cursorOnIo(String name) {
    QueueCursor c = cursors.get(name);
    if (c == null) {
      c = new QueueCursor(this, name, name.equals(DEAD_LETTER_CURSOR),
          store.openMap("cursor." + name + ".attempts"), store.openMap("cursor." + name + ".acked"));
      cursors.put(name, c);
      if (!name.equals(DEAD_LETTER_CURSOR)) {
        meta.put("cursors", String.join(",", cursors.keySet().stream()
            .filter(n -> !n.equals(DEAD_LETTER_CURSOR)).toList()));
      }
      dirty = metaDirty = true;
    }
    return c;
  }

  // accessors for QueueCursor (I/O thread)
  QueueConfig config() {
    return config;
  }

  Map<String, Lane> lanes() {
    return lanes;
  }

  @Nullable Entry entry(long seq) {
    ChunkInfo chunk = chunkOf(seq);
    return chunk == null ? null : chunk.entry(seq);
  }

  /** The cursors that must acknowledge a message of {@code lane} before it is removed. */
  List<QueueCursor> interested(String lane) {
    boolean dead = lane.equals(config.deadLetterLane());
    List<QueueCursor> out = new ArrayList<>();
    for (QueueCursor c : cursors.values()) {
      if (c.deadLetter == dead) {
        out.add(c);
      }
    }
    return out;
  }

  void markDirty() {
    dirty = metaDirty = true;
  }

  /** Copies a message into the dead-letter lane (BUFFERED: made durable at the next commit). */
  void deadLetter(StoredRecord r, String cursorName, int attempts) {
    Map<String, String> headers = new LinkedHashMap<>(r.headers());
    headers.put(HEADER_DEAD_CURSOR, cursorName);
    headers.put(HEADER_DEAD_ATTEMPTS, Integer.toString(attempts));
    headers.put("edgesdk.deadLetter.lane", r.lane());
    StoredRecord copy = new StoredRecord(r.id(), nextSequence++, r.createdEpochMillis(), r.createdStoreNanos(),
        -1, r.priority(), config.deadLetterLane(), headers, r.payload());
    byte[] bytes = copy.encode();
    append(copy.sequence(), bytes, copy.lane(), copy.priority(), copy.createdStoreNanos(), copy.ttlNanos());
    deadLettered++;
    dirty = metaDirty = true;
  }

  /** The number of commits so far (for tests of group commit). */
  public long commitCount() {
    return commits;
  }

  /** The number of times the store file was compacted into a fresh copy (for tests of space reclaim). */
  public long rewriteCount() {
    return rewrites;
  }

  /** The number of group-commit fsyncs so far (for tests of group commit). */
  public long syncCount() {
    return syncs;
  }

  Set<Long> quarantinedSequences() {
    return new HashSet<>(quarantine.keySet());
  }
}
