package org.edgesdk.examples.edgectl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.edgesdk.store.DurableQueues;
import org.edgesdk.store.forward.Destination;
import org.edgesdk.store.forward.DestinationStatus;
import org.edgesdk.store.forward.Forwarder;
import org.edgesdk.store.forward.HttpTransport;

/**
 * The demo's queue chapter: telemetry enqueued durably (fsync'd before each acknowledgement) and
 * forwarded to an in-process HTTP sink; the sink goes down while telemetry is produced, the backlog
 * rises and survives a restart, then drains at a rate limit when the sink returns, and the totals
 * match. Runs in a temporary directory that it removes afterwards.
 */
final class QueueChapter {
  private QueueChapter() {}

  static void print(PrintWriter out, int chapter) {
    out.println(chapter + ". Telemetry through an outage, on a durable store-and-forward queue");
    Path dir;
    try {
      dir = Files.createTempDirectory("edgectl-demo-queue");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (HttpSink sink = HttpSink.start()) {
      QueueConfig config = QueueConfig.builder(dir).cursors("cloud").build();
      int reading = 0;
      try (DurableQueue queue = DurableQueues.open(config)) {
        out.println("   queue    " + dir + " (SYNCED: each acknowledgement waits for its fsync)");
        out.println("   uplink   a forwarder posts batches to an in-process HTTP sink at " + sink.uri());
        Forwarder forwarder = forwarder(queue, sink);
        forwarder.start();
        for (int i = 0; i < 5; i++) {
          queue.enqueue(telemetry(reading++)).await();
        }
        await(() -> forwarder.status("cloud").acknowledged() == 5);
        out.println("   link up  5 readings sent and acknowledged by the sink; backlog " + queue.stats().messages());
        sink.down();
        for (int i = 0; i < 120; i++) {
          queue.enqueue(telemetry(reading++)).await();
        }
        await(() -> forwarder.status("cloud").consecutiveFailures() >= 2);
        DestinationStatus s = forwarder.status("cloud");
        out.println("   outage   the sink goes down: 120 readings enqueued, none confirmed; "
            + backlog(queue.stats()));
        out.println("            forwarder " + s.state().name().toLowerCase(Locale.ROOT) + ", "
            + s.consecutiveFailures() + " failed sends so far, retrying with backoff (capped, jittered)");
        forwarder.stop(Duration.ofSeconds(10));
      }
      out.println("   restart  the process stops and starts again (the store is reopened)");
      try (DurableQueue queue = DurableQueues.open(config)) {
        out.println("   reopened " + backlog(queue.stats()));
        sink.up();
        Forwarder forwarder = forwarder(queue, sink);
        forwarder.start();
        await(() -> forwarder.status("cloud").caughtUp());
        forwarder.stop(Duration.ofSeconds(10));
        DestinationStatus s = forwarder.status("cloud");
        out.println("   link up  the sink is back: drained " + s.acknowledged()
            + " readings at most 400/s in batches of 50; backlog " + queue.stats().messages());
        out.println("   totals   " + reading + " readings enqueued, " + sink.distinct()
            + " distinct ids at the sink (" + sink.duplicates() + " duplicates dropped by id), "
            + (sink.distinct() == reading ? "none lost" : "MISSING " + (reading - sink.distinct())));
      }
      out.println("   (try it yourself: edgectl queue produce --dir /tmp/q --count 1000, then "
          + "edgectl queue forward --dir /tmp/q --http URL --until-empty)");
    } finally {
      deleteTree(dir);
    }
    out.println();
  }

  private static Forwarder forwarder(DurableQueue queue, HttpSink sink) {
    HttpTransport http = HttpTransport.builder(sink.uri()).timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
        .build();
    return Forwarder.builder(queue).destination(Destination.builder("cloud", http).maxBatch(50, 64 * 1024)
        .linger(Duration.ZERO).backoff(Duration.ofMillis(20), Duration.ofMillis(200), 2).maxRate(400, 50).build())
        .build();
  }

  /** Waits (at most 30 s) for the forwarder to get somewhere; the demo prints what it reached. */
  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static NewMessage telemetry(int n) {
    String json = "{\"sensor\":\"temp0\",\"seq\":" + n + ",\"celsius\":" + (21.0 + (n % 10) / 10.0) + "}";
    return NewMessage.of(json.getBytes(StandardCharsets.UTF_8)).withLane("telemetry");
  }

  private static String backlog(QueueStats s) {
    return "backlog " + s.messages() + " messages, " + s.bytes() + " bytes, store file " + s.fileBytes() + " bytes";
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory; leaving it behind is harmless
    }
  }
}
