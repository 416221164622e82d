package org.edgesdk.store;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.edgesdk.api.store.Acknowledgement;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;

/**
 * The child JVM of {@link CrashTest}: opens the queue in {@code args[0]}, enqueues from
 * {@code args[2]} producer threads at durability {@code args[1]} until killed, and prints each
 * acknowledged id on its own line, flushed, only after its acknowledgement completed.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    int producers = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    DurableQueue queue = DurableQueues.open(QueueConfig.builder(dir).build());
    out.println("open");
    out.flush();
    Thread[] threads = new Thread[producers];
    for (int t = 0; t < producers; t++) {
      int producer = t;
      threads[t] = new Thread(() -> {
        for (long i = 0; ; i++) {
          byte[] payload = ("p" + producer + "-" + i + " ").repeat(8).getBytes(StandardCharsets.US_ASCII);
          Acknowledgement ack = queue.enqueue(NewMessage.of(payload).withDurability(durability)
              .withLane(producer % 2 == 0 ? "even" : "odd"));
          ack.await();
          synchronized (out) {
            out.println(ack.messageId());
            out.flush();
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
