package org.edgesdk.benchmarks.store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.api.store.spi.Transport;
import org.edgesdk.store.DurableQueues;
import org.edgesdk.store.forward.Destination;
import org.edgesdk.store.forward.Forwarder;
import org.edgesdk.store.forward.ForwarderListener;
import org.edgesdk.store.forward.MqttTransport;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forwarding throughput to a real mosquitto on loopback at QoS 1 with 256-byte payloads, against the
 * baseline measured in the same run: {@code mosquitto_pub -q 1 -l} publishing the same number of
 * 256-byte lines read from its standard input.
 *
 * <p>Each invocation moves {@value #MESSAGES} messages: {@code forwarder} drains a queue pre-filled
 * outside the timing (batches of {@code batch}, 500 or 1000, and Paho's in-flight window twice
 * that, so one batch is published while the previous one is confirmed) until every message is confirmed
 * by the broker and acknowledged in the queue (the listener's {@code delivered} count), over a
 * connection made before the timing (see {@code connected}); {@code mosquittoPub} starts the client, pipes the lines
 * and waits for it to exit (it exits once its publishes are acknowledged; its process start is
 * included, a few milliseconds). The score is the time per message; the ratio of the two scores is the
 * result to report. Needs {@code mosquitto} and {@code mosquitto_pub} (Debian: mosquitto,
 * mosquitto-clients).
 *
 * <p>Run: {@code java -jar edge-sdk-benchmarks/target/benchmarks.jar ForwardMqtt}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 10, batchSize = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class ForwardMqttBenchmark {
  static final int MESSAGES = 20_000;
  private static final int SIZE = 256;

  /**
   * mosquitto's {@code set_tcp_nodelay}: {@code false} is its default (Nagle on the broker's
   * sockets, so its {@code PUBACK}s wait for the client's delayed TCP acknowledgement whenever the
   * client pauses sending), {@code true} turns Nagle off on the broker side.
   */
  @Param({"false", "true"})
  public boolean brokerNoDelay;

  /** Messages per forwarder batch; Paho's in-flight window is twice this. */
  @Param({"500", "1000"})
  public int batch;

  private Path dir;
  private Process broker;
  private int port;
  private byte[] lines;
  private DurableQueue queue;
  private Forwarder forwarder;
  private int round;
  private CountDownLatch done;

  @Setup(Level.Trial)
  public void startBroker() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("forward-bench");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
        + "set_tcp_nodelay " + brokerNoDelay + "\n");
    broker = new ProcessBuilder("mosquitto", "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        break;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !broker.isAlive()) {
          throw new IOException("mosquitto did not start on " + port, e);
        }
        Thread.sleep(50);
      }
    }
    byte[] line = new byte[SIZE + 1];
    Arrays.fill(line, (byte) 'x');
    line[SIZE] = '\n';
    lines = new byte[line.length * MESSAGES];
    for (int i = 0; i < MESSAGES; i++) {
      System.arraycopy(line, 0, lines, i * line.length, line.length);
    }
  }

  @Setup(Level.Invocation)
  public void fillQueue() {
    Path q = dir.resolve("q" + round++);
    queue = DurableQueues.open(QueueConfig.builder(q).cursors("mqtt").build());
    byte[] payload = new byte[SIZE];
    Arrays.fill(payload, (byte) 'x');
    for (int i = 0; i < MESSAGES - 1; i++) {
      queue.enqueue(NewMessage.of(payload).withDurability(Durability.BUFFERED));
    }
    queue.enqueue(NewMessage.of(payload).withDurability(Durability.SYNCED)).await();
    done = new CountDownLatch(1);
    AtomicLong delivered = new AtomicLong();
    forwarder = Forwarder.builder(queue).listener(new ForwarderListener() {
      @Override
      public void delivered(String destination, int count) {
        if (delivered.addAndGet(count) >= MESSAGES) {
          done.countDown();
        }
      }
    }).destination(Destination.builder("mqtt", connected(round))
        .maxBatch(batch, 1 << 20).linger(Duration.ZERO).build()).build();
  }

  /**
   * A transport already connected by one publish outside the timing: Paho 1.2.5 takes about 300 ms to
   * connect (it starts three threads and polls every 100 ms until each runs), 15 us per message of a
   * 20,000-message invocation, which would measure the connect rather than the forwarding rate.
   * mosquitto_pub's own connect (a few milliseconds with its process start) stays in its score.
   */
  private Transport connected(int round) {
    Transport t = MqttTransport.builder(URI.create("tcp://127.0.0.1:" + port), "bench").qos(1)
        .maxInflight(2 * batch).clientId("bench-fwd-" + round).build();
    Message primer = new Message(UUID.randomUUID().toString(), 0, "default", 0, Map.of(), new byte[SIZE],
        Instant.now(), Optional.empty(), 0);
    SendResult r = t.send(List.of(primer));
    if (!(r instanceof SendResult.Delivered)) {
      throw new IllegalStateException("cannot connect to the benchmark's broker: " + r);
    }
    return t;
  }

  @TearDown(Level.Invocation)
  public void closeQueue() throws IOException {
    forwarder.stop(Duration.ofSeconds(10));
    queue.close();
    Path q = dir.resolve("q" + (round - 1));
    try (Stream<Path> paths = Files.walk(q)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public long forwarder() throws InterruptedException {
    forwarder.start();
    done.await();
    return done.getCount();
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public int mosquittoPub() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
        "-t", "bench/pub", "-l").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(lines);
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("mosquitto_pub exited with " + rc);
    }
    return rc;
  }

  @TearDown(Level.Trial)
  public void stopBroker() throws IOException {
    broker.destroyForcibly();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
