package org.edgesdk.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Storage faults through the {@link FaultyFilePath} seam: each gives a clear error, and after
 * reopening on a healthy file system every acknowledged message is there.
 */
class FaultInjectionTest {

  @TempDir Path dir;

  @BeforeAll
  static void install() {
    FaultyFilePath.install();
  }

  @AfterEach
  void reset() {
    FaultyFilePath.reset();
  }

  private MvQueue openFaulty() {
    return MvQueue.open(QueueConfig.builder(dir).build(), FaultyFilePath.PREFIX);
  }

  private static NewMessage message(int i, Durability d) {
    return NewMessage.of(("message " + i).getBytes(StandardCharsets.UTF_8)).withDurability(d);
  }

  private static NewMessage padded(int i) {
    return NewMessage.of(("message " + i + " ").repeat(40).getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"FAIL_WRITE", "TORN_WRITE", "FAIL_FORCE", "DISK_FULL"})
  void fault_duringEnqueue_failsWithClearError_andKeepsEveryAcknowledgedMessage(Fault fault) {
    List<String> acknowledged = new ArrayList<>();
    EdgeException failure = null;
    try (MvQueue q = openFaulty()) {
      for (int i = 0; i < 20; i++) {
        Durability d = Durability.values()[1 + i % 2];
        Acknowledgement a = q.enqueue(message(i, d));
        a.await();
        acknowledged.add(a.messageId());
      }
      if (fault == Fault.DISK_FULL) {
        FaultyFilePath.bytesLeft.set(10_000);
      }
      FaultyFilePath.arm(fault, 0);
      for (int i = 20; i < 2_000 && failure == null; i++) {
        Acknowledgement a = q.enqueue(padded(i));
        try {
          a.await();
          acknowledged.add(a.messageId());
        } catch (EdgeException e) {
          failure = e;
        }
      }
      assertTrue(failure != null, "the fault must surface");
      assertTrue(FaultyFilePath.faultsInjected.get() > 0, "the fault was injected");
      System.out.println(fault + " -> " + failure.getMessage());
      assertEquals(ErrorCode.IO_ERROR, failure.code());
      assertTrue(failure.problem().contains(dir.resolve("queue.mv.db").toString()), failure.problem());
      assertTrue(failure.problem().contains("not acknowledged"), failure.problem());
      assertTrue(failure.remedy().contains("reopen"), failure.remedy());
      if (fault == Fault.DISK_FULL) {
        assertTrue(failure.problem().contains("No space left on device"), failure.problem());
        assertTrue(failure.remedy().startsWith("free space"), failure.remedy());
      }
      EdgeException later = assertThrows(EdgeException.class, () -> q.enqueue(message(0, Durability.SYNCED)));
      assertEquals(failure.problem(), later.problem(), "the queue refuses work with the same diagnosis");
    }
    FaultyFilePath.reset();
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).build())) {
      Set<String> stored = q.browse(0, 10_000).stream().map(Message::id).collect(Collectors.toSet());
      assertTrue(stored.containsAll(acknowledged), fault + ": lost " + acknowledged.stream()
          .filter(id -> !stored.contains(id)).toList());
      assertEquals(0, q.stats().quarantined());
      q.enqueue(message(0, Durability.SYNCED)).await();
    }
  }

  @Test
  void allWritesAndFsyncs_runOnTheQueuesOwnThread() {
    try (MvQueue q = openFaulty()) {
      for (int i = 0; i < 50; i++) {
        q.enqueue(message(i, Durability.values()[i % 3])).await();
      }
      q.cursor("c").ack(q.cursor("c").peek(50));
    }
    assertTrue(FaultyFilePath.ioThreads.stream().allMatch(n -> n.startsWith("edgesdk-store-io[")),
        FaultyFilePath.ioThreads.toString());
  }

  @Test
  void fault_whileOpening_isClearError_andNothingIsMovedAside() {
    try (MvQueue q = openFaulty()) {
      q.enqueue(message(1, Durability.SYNCED)).await();
    }
    FaultyFilePath.arm(Fault.FAIL_FORCE, 0);
    EdgeException e = assertThrows(EdgeException.class, this::openFaulty);
    assertEquals(ErrorCode.IO_ERROR, e.code());
    FaultyFilePath.reset();
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).build())) {
      assertEquals(1, q.stats().messages());
    }
  }

  @Test
  void rewrite_whenTheCopyCannotBeWritten_queueStaysOnTheOldFile_andRewritesLater() throws Exception {
    List<String> acknowledged = new ArrayList<>();
    Path blocker = dir.resolve(MvQueue.REWRITE_FILE).resolve("blocker");
    // slack 1: the file is rewritten whenever it exceeds twice the live bytes
    try (MvQueue q = MvQueue.open(QueueConfig.builder(dir).build(), "", -1, 1)) {
      java.nio.file.Files.createDirectories(blocker); // the copy's name is taken by a non-empty directory
      long rewritesBefore = q.rewriteCount(); // the open itself may have rewritten the new file
      for (int i = 0; i < 50; i++) {
        Acknowledgement a = q.enqueue(message(i, Durability.SYNCED));
        a.await();
        acknowledged.add(a.messageId());
      }
      assertEquals(rewritesBefore, q.rewriteCount(), "no copy could be written");
      java.nio.file.Files.delete(blocker);
      try {
        java.nio.file.Files.deleteIfExists(blocker.getParent());
      } catch (java.nio.file.FileSystemException raced) {
        // The I/O thread may retry a rewrite right now: it removes the empty directory itself and
        // starts a copy file in its place, which then is not a directory (or not empty). Either way
        // the name is free for the copy, which is what this step needs.
      }
      for (int i = 50; i < 100; i++) {
        Acknowledgement a = q.enqueue(message(i, Durability.SYNCED));
        a.await();
        acknowledged.add(a.messageId());
      }
      assertTrue(q.rewriteCount() > rewritesBefore, "rewrites resume once the copy can be written");
    }
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).build())) {
      assertEquals(acknowledged, q.browse(0, 1_000).stream().map(Message::id).toList());
      assertEquals(0, q.stats().quarantined());
    }
  }
}
