package org.edgesdk.linux.rt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bindings against the running kernel; none of these calls needs a privilege. */
class JnaSchedKernelTest {
  private final SchedKernel kernel = SchedKernel.jna();

  @Test
  void gettid_matchesProcThreadSelf() throws IOException {
    Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "PID/task/TID"
    assertEquals(Integer.parseInt(self.getFileName().toString()), kernel.gettid());
  }

  @Test
  void priorityRange_fifoAndRr_1to99_otherZero() {
    assertEquals(1, kernel.priorityMin(1));
    assertEquals(99, kernel.priorityMax(1));
    assertEquals(99, kernel.priorityMax(2));
    assertEquals(0, kernel.priorityMax(0));
  }

  @Test
  void priorityMin_unknownPolicy_capturesEinval() {
    ErrnoException e = assertThrows(ErrnoException.class, () -> kernel.priorityMin(12345));
    assertEquals(Errno.EINVAL, e.errno());
    assertEquals("EINVAL", e.errnoName());
    assertTrue(e.call().contains("12345"), e.call());
  }

  @Test
  void getAttr_ownThread_matchesGetScheduler() {
    int tid = kernel.gettid();
    SchedValues v = kernel.getAttr(tid);
    assertEquals(kernel.getScheduler(tid) & ~0x40000000, v.policy());
  }

  @Test
  void getAttr_noSuchThread_capturesEsrch() {
    ErrnoException e = assertThrows(ErrnoException.class, () -> kernel.getAttr(Integer.MAX_VALUE));
    assertEquals(Errno.ESRCH, e.errno());
  }

  @Test
  void getAffinity_ownThread_matchesCpusAllowedList() throws IOException {
    String status = Files.readString(Path.of("/proc/thread-self/status"));
    String list = status.lines().filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
        .substring("Cpus_allowed_list:".length()).strip();
    assertEquals(org.edgesdk.api.CpuSet.parse(list),
        org.edgesdk.api.CpuSet.fromWords(kernel.getAffinity(kernel.gettid())));
  }

  @Test
  void getrlimit_rtprio_matchesProcSelfLimits() throws IOException {
    String line = Files.readAllLines(Path.of("/proc/self/limits")).stream()
        .filter(l -> l.startsWith("Max realtime priority")).findFirst().orElseThrow();
    String soft = line.substring(25).strip().split("\\s+")[0];
    long expected = soft.equals("unlimited") ? -1 : Long.parseLong(soft);
    assertEquals(expected, kernel.getrlimit(LibC.RLIMIT_RTPRIO)[0]);
  }

  @Test
  void timerSlack_setAndRead_onOwnThread() throws InterruptedException {
    long[] seen = new long[2];
    Thread t = new Thread(() -> {
      seen[0] = kernel.timerSlack();
      kernel.setTimerSlack(1);
      seen[1] = kernel.timerSlack();
    });
    t.start();
    t.join();
    assertEquals(1, seen[1]);
    assertTrue(seen[0] >= 1, "default slack " + seen[0]);
  }

  @Test
  void nativeClock_sleepUntilPast_returnsAndTimeAdvances() {
    NativeClock clock = new NativeClock();
    long a = clock.nanoTime();
    clock.sleepUntil(a - 1_000_000);
    clock.sleepUntil(a + 200_000);
    long b = clock.nanoTime();
    assertTrue(b >= a + 200_000, a + " -> " + b);
  }
}
