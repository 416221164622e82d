package org.edgesdk.examples.edgectl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.edgesdk.store.DurableQueues;

/**
 * The demo's queue chapter: telemetry enqueued durably (fsync'd before each acknowledgement) while
 * the uplink is down, the backlog surviving a restart, and the drain when the link returns. Runs in
 * a temporary directory that it removes afterwards.
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
    try {
      QueueConfig config = QueueConfig.builder(dir).cursors("cloud").build();
      int reading = 0;
      try (DurableQueue queue = DurableQueues.open(config)) {
        out.println("   queue    " + dir + " (SYNCED: each acknowledgement waits for its fsync)");
        for (int i = 0; i < 5; i++) {
          queue.enqueue(telemetry(reading++)).await();
        }
        Cursor cloud = queue.cursor("cloud");
        List<Message> sent = cloud.peek(100);
        cloud.ack(sent);
        out.println("   link up  " + sent.size() + " readings sent and acknowledged; backlog "
            + queue.stats().messages());
        for (int i = 0; i < 120; i++) {
          queue.enqueue(telemetry(reading++)).await();
        }
        out.println("   outage   120 readings enqueued, none sent; " + backlog(queue.stats()));
      }
      out.println("   restart  the process stops and starts again (the store is reopened)");
      try (DurableQueue queue = DurableQueues.open(config)) {
        out.println("   reopened " + backlog(queue.stats()));
        Cursor cloud = queue.cursor("cloud");
        int sent = 0;
        List<Message> batch;
        while (!(batch = cloud.peek(50)).isEmpty()) {
          sent += batch.size();
          cloud.ack(batch);
        }
        out.println("   link up  drained " + sent + " readings in batches of 50, oldest first; backlog "
            + queue.stats().messages());
      }
      out.println("   (try it yourself: edgectl queue produce --dir /tmp/q --count 1000, then queue stats --dir /tmp/q)");
    } finally {
      deleteTree(dir);
    }
    out.println();
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
