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
 * acknowledged id on its own line, flushed, only after its acknowledgement completed. An optional
 * {@code args[3]} is the rewrite slack in bytes (small values rewrite the store file at nearly every
 * commit, so that kills land during rewrites).
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    int producers = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    DurableQueue queue = args.length > 3
        ? org.edgesdk.store.internal.MvQueue.open(QueueConfig.builder(dir).build(), "", -1, Long.parseLong(args[3]))
        : DurableQueues.open(QueueConfig.builder(dir).build());
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
            if (queue instanceof org.edgesdk.store.internal.MvQueue mv && args.length > 3) {
              out.println("rewrites " + mv.rewriteCount());
            }
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
