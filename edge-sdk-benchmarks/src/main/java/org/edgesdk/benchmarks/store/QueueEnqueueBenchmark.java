package org.edgesdk.benchmarks.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.edgesdk.api.store.Acknowledgement;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.store.DurableQueues;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Enqueue throughput and latency of the durable queue, per durability level, payload size and
 * producer count, against its baselines measured in the same run:
 *
 * <ul>
 *   <li>{@code raw*}: the physical limit, a raw {@code FileChannel} append of the same bytes (plus
 *       {@code force} for SYNCED) with the same group batching ({@link RawAppendLog});
 *   <li>{@code sqlite*}: SQLite through sqlite-jdbc in WAL mode, {@code synchronous=FULL} for SYNCED,
 *       {@code NORMAL} for COMMITTED, {@code OFF} for BUFFERED; one transaction per message, and
 *       batched (100 messages per transaction).
 * </ul>
 *
 * <p>Mode is sample time: the score is the mean time per message and the percentiles include p99;
 * throughput is threads / mean. A COMMITTED or SYNCED operation is enqueue plus waiting for the
 * acknowledgement; a BUFFERED producer does not wait (its acknowledgement completes in memory), so
 * its operation is the enqueue alone, with a wait every 1024 messages to bound memory.
 *
 * <p>{@code queue4Window} and {@code raw4Window} are four producers that each keep 64
 * acknowledgements in flight (the API returns a future, so a producer need not wait for one
 * message before sending the next); each message is still confirmed at its level, and both the
 * queue and the raw log group more messages per {@code fsync}.
 *
 * <p>Run: {@code java -jar edge-sdk-benchmarks/target/benchmarks.jar QueueEnqueue}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class QueueEnqueueBenchmark {

  @Param({"256", "4096"})
  public int size;

  @Param({"BUFFERED", "COMMITTED", "SYNCED"})
  public Durability durability;

  private Path dir;
  private DurableQueue queue;
  private RawAppendLog raw;
  private Connection sqlite;
  private PreparedStatement insert;
  private byte[] payload;

  @Setup(Level.Iteration)
  public void open() throws IOException, SQLException {
    dir = Files.createTempDirectory("queue-bench");
    payload = new byte[size];
    ThreadLocalRandom.current().nextBytes(payload);
    queue = DurableQueues.open(QueueConfig.builder(dir.resolve("queue")).build());
    raw = new RawAppendLog(dir.resolve("raw.log"));
    sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sqlite.db"));
    try (Statement s = sqlite.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + switch (durability) {
        case SYNCED -> "FULL";
        case COMMITTED -> "NORMAL";
        case BUFFERED -> "OFF";
      });
      s.execute("CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, "
          + "lane TEXT NOT NULL, payload BLOB NOT NULL)");
    }
    sqlite.setAutoCommit(false);
    insert = sqlite.prepareStatement("INSERT INTO messages (id, lane, payload) VALUES (?, ?, ?)");
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException, SQLException {
    queue.close();
    raw.close();
    insert.close();
    sqlite.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Acknowledgements a pipelining producer keeps in flight before it waits for the oldest. */
  static final int WINDOW = 64;

  /**
   * Per producer thread: a counter for BUFFERED's periodic wait, and the acknowledgements in flight
   * of a pipelining producer ({@code *Window} benchmarks).
   */
  @State(Scope.Thread)
  public static class Producer {
    int sent;
    Acknowledgement last;
    final ArrayDeque<Acknowledgement> inFlight = new ArrayDeque<>();
    final ArrayDeque<CompletableFuture<Void>> rawInFlight = new ArrayDeque<>();

    /** Forgets the previous iteration's acknowledgements (its queue and log are closed). */
    @Setup(Level.Iteration)
    public void reset() {
      inFlight.clear();
      rawInFlight.clear();
    }
  }

  /**
   * A producer that does not wait for each acknowledgement before the next enqueue, as the
   * future-returning API allows: it keeps {@link #WINDOW} in flight and waits for the oldest, so
   * every message is still confirmed at its durability level, and group commit covers more
   * messages per {@code fsync}.
   */
  private void enqueueWindowed(Producer p) {
    p.inFlight.addLast(queue.enqueue(NewMessage.of(payload).withDurability(durability)));
    if (p.inFlight.size() >= WINDOW) {
      p.inFlight.removeFirst().await();
    }
  }

  /** The raw append with the same window, so both group the same way. */
  private void rawAppendWindowed(Producer p) {
    p.rawInFlight.addLast(raw.append(payload, durability == Durability.SYNCED));
    if (p.rawInFlight.size() >= WINDOW) {
      p.rawInFlight.removeFirst().join();
    }
  }

  private void enqueue(Producer p) {
    Acknowledgement ack = queue.enqueue(NewMessage.of(payload).withDurability(durability));
    if (durability != Durability.BUFFERED || ++p.sent % 1024 == 0) {
      ack.await();
    }
  }

  private void rawAppend(Producer p) {
    var done = raw.append(payload, durability == Durability.SYNCED);
    if (durability != Durability.BUFFERED || ++p.sent % 1024 == 0) {
      done.join();
    }
  }

  private void sqliteInsert(int messages) {
    synchronized (this) { // one SQLite writer at a time, as SQLite itself allows
      try {
        for (int i = 0; i < messages; i++) {
          insert.setString(1, UUID.randomUUID().toString());
          insert.setString(2, "default");
          insert.setBytes(3, payload);
          insert.executeUpdate();
        }
        sqlite.commit();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Benchmark
  @Threads(1)
  public void queue1(Producer p) {
    enqueue(p);
  }

  @Benchmark
  @Threads(4)
  public void queue4(Producer p) {
    enqueue(p);
  }

  @Benchmark
  @Threads(4)
  public void queue4Window(Producer p) {
    enqueueWindowed(p);
  }

  @Benchmark
  @Threads(4)
  public void raw4Window(Producer p) {
    rawAppendWindowed(p);
  }

  @Benchmark
  @Threads(1)
  public void raw1(Producer p) {
    rawAppend(p);
  }

  @Benchmark
  @Threads(4)
  public void raw4(Producer p) {
    rawAppend(p);
  }

  @Benchmark
  @Threads(1)
  public void sqliteTxPerMessage1() {
    sqliteInsert(1);
  }

  @Benchmark
  @Threads(4)
  public void sqliteTxPerMessage4() {
    sqliteInsert(1);
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(100)
  public void sqliteBatched100x1() {
    sqliteInsert(100);
  }

  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(100)
  public void sqliteBatched100x4() {
    sqliteInsert(100);
  }
}
