package org.edgesdk.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.store.Acknowledgement;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.store.DurableQueues;
import org.edgesdk.store.internal.FaultyFilePath.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SYNCED acknowledgements in flight from four producers: close completes every one and leaves no
 * thread of the queue; a failed fsync fails its group, stops the queue with one diagnosis, and close
 * still leaves no thread.
 */
class CloseInFlightTest {

  @TempDir Path dir;

  @BeforeAll
  static void install() {
    FaultyFilePath.install();
  }

  @AfterEach
  void reset() {
    FaultyFilePath.reset();
  }

  private List<Thread> queueThreads() {
    String prefix = "edgesdk-store-io[" + dir.toAbsolutePath().getFileName() + "]";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).collect(Collectors.toList());
  }

  /** Four producers keep SYNCED enqueues in flight, then the queue is closed under them. */
  private List<Acknowledgement> enqueueFromFourThreads(DurableQueue q, int perThread) throws InterruptedException {
    List<Acknowledgement> acks = Collections.synchronizedList(new ArrayList<>());
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          acks.add(q.enqueue(NewMessage.of(new byte[256]).withDurability(Durability.SYNCED)));
        }
      });
      producers.add(th);
      th.start();
    }
    for (Thread th : producers) {
      th.join();
    }
    return acks;
  }

  @Test
  void close_withSyncedAcknowledgementsInFlight_completesEveryOne_andLeavesNoThread() throws Exception {
    List<Acknowledgement> acks;
    MvQueue q = MvQueue.open(QueueConfig.builder(dir).build(), "");
    try {
      acks = enqueueFromFourThreads(q, 200);
      assertFalse(queueThreads().isEmpty());
    } finally {
      q.close();
    }
    assertEquals(List.of(), queueThreads(), "threads left after close");
    for (Acknowledgement a : acks) {
      assertTrue(((PendingAck) a).future.isDone(), "close completed " + a.messageId());
      a.await();
    }
    assertTrue(q.syncCount() >= 1 && q.syncCount() < 800, "fsyncs: " + q.syncCount());
    try (DurableQueue reopened = DurableQueues.open(QueueConfig.builder(dir).build())) {
      Set<String> stored = reopened.browse(0, 10_000).stream().map(Message::id).collect(Collectors.toSet());
      assertTrue(stored.containsAll(acks.stream().map(Acknowledgement::messageId).toList()));
    }
  }

  @Test
  void failedFsync_failsItsGroup_stopsTheQueue_andCloseLeavesNoThread() throws Exception {
    List<String> acknowledged = new ArrayList<>();
    MvQueue q = MvQueue.open(QueueConfig.builder(dir).build(), FaultyFilePath.PREFIX);
    try {
      for (int i = 0; i < 10; i++) {
        Acknowledgement a = q.enqueue(NewMessage.of(new byte[64]).withDurability(Durability.SYNCED));
        a.await();
        acknowledged.add(a.messageId());
      }
      FaultyFilePath.arm(Fault.FAIL_FORCE, 0);
      List<Acknowledgement> acks = enqueueFromFourThreads(q, 50);
      EdgeException first = null;
      for (Acknowledgement a : acks) {
        try {
          a.await();
          acknowledged.add(a.messageId());
        } catch (EdgeException e) {
          first = first == null ? e : first;
          assertEquals(first.problem(), e.problem(), "one diagnosis");
        }
      }
      assertTrue(first != null, "the fsync failure surfaces");
      assertTrue(first.problem().contains("forcing (fsync)"), first.problem());
      EdgeException later = assertThrows(EdgeException.class,
          () -> q.enqueue(NewMessage.of(new byte[1]).withDurability(Durability.SYNCED)));
      assertEquals(first.problem(), later.problem());
    } finally {
      q.close();
    }
    assertEquals(List.of(), queueThreads(), "threads left after close");
    FaultyFilePath.reset();
    try (DurableQueue reopened = DurableQueues.open(QueueConfig.builder(dir).build())) {
      Set<String> stored = reopened.browse(0, 10_000).stream().map(Message::id).collect(Collectors.toSet());
      assertTrue(stored.containsAll(acknowledged));
    }
  }
}
