package org.edgesdk.linux.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real scheduling on this machine. Every change happens on a thread the test starts and ends, so the
 * test runner's threads keep their policy. Tests that need SCHED_FIFO skip, with the SDK's diagnosis
 * as the reason, where the process may not use it.
 */
class RealTimeLiveTest {
  private static final RealTime RT = RealTime.system();
  private static String fifoRefused;

  @BeforeAll
  static void probeFifo() throws Exception {
    fifoRefused = onNewThread(() -> {
      try {
        RT.apply(SchedPolicy.fifo(1));
        return null;
      } catch (EdgeException e) {
        return e.oneLine();
      }
    });
  }

  private static void assumeFifo() {
    Assumptions.assumeTrue(fifoRefused == null, () -> "SCHED_FIFO is refused here: " + fifoRefused);
  }

  private static <T> T onNewThread(Callable<T> body) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        result.set(body.call());
      } catch (Exception e) {
        failure.set(e);
      }
    });
    t.start();
    t.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }

  @Test
  void currentThreadId_isTheKernelTid() throws Exception {
    Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
    assertEquals(Integer.parseInt(self.getFileName().toString()), RT.currentThreadId());
  }

  @Test
  void priorityRange_fifo_1to99() {
    assertEquals(new PriorityRange(1, 99), RT.priorityRange(PolicyKind.FIFO));
    assertEquals(new PriorityRange(0, 0), RT.priorityRange(PolicyKind.OTHER));
  }

  @Test
  void apply_fifo_readBackAndSeenByProc() throws Exception {
    assumeFifo();
    onNewThread(() -> {
      Applied applied = RT.apply(SchedPolicy.fifo(20));
      assertEquals(SchedPolicy.fifo(20), applied.policy());
      assertEquals(SchedPolicy.fifo(20), RT.policy());
      // /proc/thread-self/stat field 40 is the policy, 18 the priority as -1 - rt_priority
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      assertEquals("1", f[40 - 3]);
      assertEquals("-21", f[18 - 3]);
      return null;
    });
  }

  @Test
  void apply_rrThenOtherNice_readBack() throws Exception {
    assumeFifo();
    onNewThread(() -> {
      assertEquals(SchedPolicy.rr(30), RT.apply(SchedPolicy.rr(30)).policy());
      assertEquals(SchedPolicy.other(5), RT.apply(SchedPolicy.other(5)).policy());
      return null;
    });
  }

  @Test
  void apply_batchAndIdle_needNoPrivilege_readBack() throws Exception {
    onNewThread(() -> {
      assertEquals(SchedPolicy.batch(3), RT.apply(SchedPolicy.batch(3)).policy());
      assertEquals(SchedPolicy.idle(), RT.apply(SchedPolicy.idle()).policy());
      return null;
    });
  }

  @Test
  void apply_deadline_throughSchedSetattr_readBack() throws Exception {
    assumeFifo();
    SchedPolicy dl = SchedPolicy.deadline(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10));
    String refused = onNewThread(() -> {
      try {
        assertEquals(dl, RT.apply(dl).policy());
        return null;
      } catch (EdgeException e) {
        return e.oneLine();
      }
    });
    Assumptions.assumeTrue(refused == null, () -> "SCHED_DEADLINE is refused here: " + refused);
  }

  @Test
  void apply_priority100_refusedWithKernelRange() throws Exception {
    EdgeException e = assertThrows(EdgeException.class, () -> RT.apply(SchedPolicy.fifo(100)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.problem().contains("1..99"), e.problem());
  }

  @Test
  void threadFactory_capturesTidAppliesPolicyAndAffinity() throws Exception {
    assumeFifo();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RtThreadFactory factory = RT.threadFactory("rt-test", SchedPolicy.fifo(25), Optional.of(CpuSet.of(0)));
    Thread t = factory.newThread(() -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertEquals(OptionalInt.empty(), RT.nativeThreadId(t));
    t.start();
    try {
      assertTrue(running.await(10, TimeUnit.SECONDS));
      int tid = RT.awaitNativeThreadId(t, Duration.ofSeconds(5)).orElseThrow();
      assertTrue(Files.isDirectory(Path.of("/proc/self/task/" + tid)));
      assertEquals(SchedPolicy.fifo(25), RT.policy(t));
      assertEquals(CpuSet.of(0), RT.affinityOfThreadId(tid));
      // and a policy applied from outside, by Java thread
      assertEquals(SchedPolicy.rr(26), RT.apply(t, SchedPolicy.rr(26)).policy());
    } finally {
      release.countDown();
      t.join();
    }
  }

  @Test
  void apply_unknownJavaThread_isIllegalArgument() {
    Thread stranger = new Thread(() -> { });
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RT.apply(stranger, SchedPolicy.other(0)));
    assertTrue(e.getMessage().contains("kernel thread id is unknown"), e.getMessage());
  }

  @Test
  void setAffinity_clampedToAllowedCpus() throws Exception {
    CpuSet allowed = RT.allowedCpus();
    int first = allowed.stream().findFirst().orElseThrow();
    onNewThread(() -> {
      assertEquals(CpuSet.of(first), RT.setAffinity(CpuSet.of(first, 4000)));
      assertEquals(CpuSet.of(first), RT.affinity());
      return null;
    });
  }

  @Test
  void lockMemory_asRoot_locksAndUnlocks() throws IOException {
    long capEff = ProcessFacts.parseCapEff(Files.readString(Path.of("/proc/self/status"))).orElse(0);
    Assumptions.assumeTrue(RT.softLimit(ResourceLimit.MEMLOCK).isEmpty()
        || ProcessFacts.bit(capEff, ProcessFacts.CAP_IPC_LOCK), "needs CAP_IPC_LOCK or an unlimited RLIMIT_MEMLOCK");
    RT.lockMemory();
    try {
      String locked = Files.readString(Path.of("/proc/self/status")).lines()
          .filter(l -> l.startsWith("VmLck:")).findFirst().orElseThrow();
      assertFalse(locked.matches("VmLck:\\s+0 kB"), locked);
    } finally {
      RT.unlockMemory();
    }
  }

  @Test
  void timerSlack_setTo1ns_readBack() throws Exception {
    Duration slack = onNewThread(() -> {
      RT.setTimerSlack(Duration.ofNanos(1));
      return RT.timerSlack();
    });
    assertEquals(Duration.ofNanos(1), slack);
  }

  @Test
  void softLimit_rtprio_matchesProcSelfLimits() throws IOException {
    String line = Files.readAllLines(Path.of("/proc/self/limits")).stream()
        .filter(l -> l.startsWith("Max realtime priority")).findFirst().orElseThrow();
    String soft = line.substring(25).strip().split("\\s+")[0];
    assertEquals(soft.equals("unlimited") ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(Long.parseLong(soft)), RT.softLimit(ResourceLimit.RTPRIO));
  }

  @Test
  void fifoAllowed_agreesWithCyclictest() throws Exception {
    Path cyclictest = Path.of("/usr/bin/cyclictest");
    Assumptions.assumeTrue(Files.isExecutable(cyclictest), "needs cyclictest (Debian package rt-tests)");
    Process p = new ProcessBuilder(cyclictest.toString(), "-p", "80", "-i", "1000", "-l", "10", "-q")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "cyclictest did not finish");
    // cyclictest exits non-zero when it cannot set SCHED_FIFO; the SDK must agree in both directions
    assertEquals(p.exitValue() == 0, fifoRefused == null,
        "cyclictest exit " + p.exitValue() + " (" + output.strip() + "), SDK: " + fifoRefused);
  }
}
