package org.edgesdk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.store.forward.Destination;
import org.edgesdk.store.forward.Forwarder;
import org.edgesdk.store.forward.HttpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of the {@code {@snippet}} examples in edge-sdk-store's Javadoc and the README's
 * quickstart; each region runs here so no example can rot.
 */
class StoreSnippetsTest {
  @TempDir Path dir;

  @Test
  void queue_enqueueThenConsume_acknowledgesWhatWasRead() {
    // @start region="queue"
    QueueConfig config = QueueConfig.builder(dir.resolve("queue")).cursors("uplink").build();
    try (DurableQueue queue = DurableQueues.open(config)) {
      byte[] reading = "{\"celsius\":21.5}".getBytes(StandardCharsets.UTF_8);
      queue.enqueue(NewMessage.of(reading).withDurability(Durability.SYNCED)).await(); // on disk now

      List<Message> batch = queue.cursor("uplink").peek(100);
      // ... send the batch somewhere ...
      queue.cursor("uplink").ack(batch); // acknowledged messages are not read again
    }
    // @end
    try (DurableQueue queue = DurableQueues.open(config)) {
      assertEquals(0, queue.cursor("uplink").peek(100).size());
    }
  }

  @Test
  void forwarder_startAndStop_forwardsThroughACursor() {
    QueueConfig config = QueueConfig.builder(dir.resolve("queue")).cursors("cloud").build();
    try (DurableQueue queue = DurableQueues.open(config)) {
      // @start region="forwarder"
      Destination cloud = Destination.builder("cloud",
              HttpTransport.builder(URI.create("http://127.0.0.1:9/ingest")).build())
          .maxBatch(100, 256 * 1024)                                   // messages, bytes per POST
          .backoff(Duration.ofMillis(200), Duration.ofSeconds(30), 2)  // after a failed send
          .build();
      Forwarder forwarder = Forwarder.builder(queue).destination(cloud).build(); // reads cursor "cloud"
      forwarder.start();
      // ... enqueue; forwarder.status("cloud") tells backlog, state and the last error ...
      forwarder.stop(Duration.ofSeconds(5));   // before closing the queue
      // @end
      assertEquals("cloud", forwarder.status("cloud").name());
    }
  }
}
