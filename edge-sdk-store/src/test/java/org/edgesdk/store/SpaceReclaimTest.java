package org.edgesdk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.edgesdk.store.internal.MvQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 5's space bound under churn, at MVStore's production retention time (45 s): after a million
 * enqueue/ack cycles the store file is at most twice the live record bytes plus
 * {@link MvQueue#REWRITE_SLACK_BYTES} (16 MiB), at every sample and at the end.
 */
class SpaceReclaimTest {

  @TempDir Path dir;

  @Test
  void churn_millionEnqueueAckCycles_atSteadyState_fileStaysWithinTwiceLivePlusSlack() throws Exception {
    int cycles = Integer.getInteger("edgesdk.churnCycles", 1_000_000);
    int live = 10_000;
    int batch = 1_000;
    byte[] payload = new byte[256];
    Path file = dir.resolve(MvQueue.STORE_FILE);
    try (MvQueue q = MvQueue.open(QueueConfig.builder(dir).build(), "")) {
      Cursor c = q.cursor("c");
      for (int i = 0; i < live; i++) {
        q.enqueue(NewMessage.of(payload).withDurability(Durability.BUFFERED));
      }
      long worst = Long.MIN_VALUE;
      for (int done = 0; done < cycles; done += batch) {
        for (int i = 0; i < batch; i++) {
          q.enqueue(NewMessage.of(payload).withDurability(i == batch - 1 ? Durability.COMMITTED : Durability.BUFFERED))
              .await();
        }
        List<Message> oldest = c.peek(batch);
        c.ack(oldest);
        if (done % 10_000 == 0) {
          QueueStats s = q.stats();
          // the bound at every sample, not only at the end
          worst = Math.max(worst, s.fileBytes() - (2 * s.bytes() + MvQueue.REWRITE_SLACK_BYTES));
          if (done % 100_000 == 0) {
            System.out.println(done + " cycles: live " + s.bytes() + " bytes, file " + s.fileBytes()
                + " bytes, rewrites " + q.rewriteCount());
          }
        }
      }
      QueueStats s = q.stats();
      System.out.println("end: live " + s.bytes() + " bytes, file " + s.fileBytes() + ", rewrites "
          + q.rewriteCount() + ", worst sample " + worst + " bytes over the bound");
      assertEquals(live, s.messages());
      assertTrue(q.rewriteCount() > 0, "the churn never triggered a rewrite");
      assertTrue(s.fileBytes() <= 2 * s.bytes() + MvQueue.REWRITE_SLACK_BYTES, s.toString());
      assertTrue(worst <= 0, "a sample exceeded 2 x live + slack by " + worst + " bytes");
      assertEquals(s.fileBytes(), Files.size(file));
      assertFalse(Files.exists(dir.resolve(MvQueue.REWRITE_FILE)));
    }
    try (MvQueue q = MvQueue.open(QueueConfig.builder(dir).build(), "")) {
      assertEquals(live, q.stats().messages());
      assertEquals(live, q.cursor("c").peek(2 * live).size());
    }
  }

  @Test
  void drain_fileLeftLargeByADrainedQueue_isRewrittenWithoutFurtherGrowth() throws Exception {
    long slack = 64 << 10;
    byte[] payload = new byte[1024];
    try (MvQueue q = MvQueue.open(QueueConfig.builder(dir).build(), "", -1, slack)) {
      Cursor c = q.cursor("c");
      for (int i = 0; i < 2_000; i++) {
        q.enqueue(NewMessage.of(payload).withDurability(i % 100 == 99 ? Durability.COMMITTED : Durability.BUFFERED))
            .await();
      }
      assertTrue(q.stats().fileBytes() > 2_000 * 1024, q.stats().toString());
      for (List<Message> batch = c.peek(500); !batch.isEmpty(); batch = c.peek(500)) {
        c.ack(batch);
      }
      assertEquals(0, q.stats().bytes());
    }
    // closing commits, and the commit finds the file above 2 x 0 + slack: rewritten
    assertTrue(Files.size(dir.resolve(MvQueue.STORE_FILE)) <= slack, "file " + Files.size(dir.resolve(MvQueue.STORE_FILE)));
  }
}
