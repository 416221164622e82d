package org.edgesdk.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The EPERM/ENOMEM diagnoses against the real kernel: {@code edgectl.jar} runs under
 * {@code setpriv --bounding-set=-CAP} (util-linux), so the JVM starts without the capability, and the
 * kernel, not a fake, refuses. Needs root (to hold the capabilities that are then dropped).
 */
class RtPrivilegeIT {
  private static final Path JAR = Path.of(System.getProperty("edgesdk.edgectlJar", "target/edgectl.jar"));
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  @BeforeEach
  void needsRootAndSetpriv() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
    String status = Files.readString(Path.of("/proc/self/status"));
    Assumptions.assumeTrue(status.lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
  }

  private static String[] run(String dropCapability, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--bounding-set=-" + dropCapability, "--",
        JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "edgectl did not finish: " + command);
    return new String[] {String.valueOf(p.exitValue()), output};
  }

  @Test
  void latencyFifo_withoutCapSysNice_epermSaysCapabilityAndRlimit() throws Exception {
    String limits = Files.readString(Path.of("/proc/self/limits"));
    Assumptions.assumeTrue(limits.lines().anyMatch(l -> l.matches("Max realtime priority\\s+0\\s.*")),
        "needs RLIMIT_RTPRIO 0, else the limit grants SCHED_FIFO without the capability");
    String[] result = run("sys_nice", "rt", "latency", "--policy", "fifo", "--priority", "80", "--loops", "1");
    assertEquals("1", result[0], result[1]);
    assertTrue(result[1].contains("edgectl: error: PERMISSION_DENIED: sched_setscheduler("), result[1]);
    assertTrue(result[1].contains("failed with EPERM: the process lacks CAP_SYS_NICE and RLIMIT_RTPRIO is 0"),
        result[1]);
    assertTrue(result[1].contains("--cap-add=SYS_NICE"), result[1]);
  }

  @Test
  void checkJson_withoutCapSysNice_privilegeIsAProblem() throws Exception {
    String[] result = run("sys_nice", "rt", "check", "--json");
    assertEquals("0", result[0], result[1]);
    assertTrue(result[1].contains("\"topic\" : \"privilege\""), result[1]);
    assertTrue(result[1].contains("lacks CAP_SYS_NICE"), result[1]);
  }

  @Test
  void latencyMlock_withoutCapIpcLock_smallMemlock_saysLimit() throws Exception {
    String limits = Files.readString(Path.of("/proc/self/limits"));
    Assumptions.assumeFalse(limits.lines().anyMatch(l -> l.matches("Max locked memory\\s+unlimited\\s.*")),
        "needs a finite RLIMIT_MEMLOCK, else mlockall succeeds without the capability");
    String[] result = run("ipc_lock", "rt", "latency", "--policy", "other", "--loops", "1", "--mlock");
    assertEquals("1", result[0], result[1]);
    assertTrue(result[1].contains("edgectl: error: PERMISSION_DENIED: mlockall("), result[1]);
    assertTrue(result[1].contains("lacks CAP_IPC_LOCK and RLIMIT_MEMLOCK is"), result[1]);
  }

  /** Runs edgectl inside a new cgroup v1 cpu group, which has cpu.rt_runtime_us 0 unless given some. */
  private static String[] runInCpuGroup(long rtRuntimeUs, String... args) throws IOException, InterruptedException {
    Path cpu = Path.of("/sys/fs/cgroup/cpu");
    Assumptions.assumeTrue(Files.isDirectory(cpu) && Files.exists(cpu.resolve("cpu.rt_runtime_us")),
        "needs the cgroup v1 cpu controller with RT group scheduling (CONFIG_RT_GROUP_SCHED)");
    Assumptions.assumeTrue(Files.isWritable(cpu), "needs a writable cgroup v1 cpu hierarchy at " + cpu);
    Path group = cpu.resolve("edgesdk-it-" + ProcessHandle.current().pid());
    Files.createDirectory(group);
    try {
      if (rtRuntimeUs > 0) {
        Files.writeString(group.resolve("cpu.rt_runtime_us"), Long.toString(rtRuntimeUs));
      }
      StringBuilder command = new StringBuilder("echo $$ > " + group.resolve("cgroup.procs") + " && exec "
          + JAVA + " -jar " + JAR);
      for (String a : args) {
        command.append(' ').append(a);
      }
      Process p = new ProcessBuilder("/bin/sh", "-c", command.toString()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "edgectl did not finish: " + command);
      return new String[] {String.valueOf(p.exitValue()), output};
    } finally {
      Files.delete(group); // rmdir: the group is empty once the child has exited
    }
  }

  @Test
  void latencyFifo_asRootInCpuGroupWithoutRtRuntime_epermSaysCgroup() throws Exception {
    String[] result = runInCpuGroup(0, "rt", "latency", "--loops", "1");
    assertEquals("1", result[0], result[1]);
    assertTrue(result[1].contains("failed with EPERM: the process's cgroup v1 cpu group /edgesdk-it-"), result[1]);
    assertTrue(result[1].contains("has cpu.rt_runtime_us 0"), result[1]);
    assertTrue(!result[1].contains("lacks CAP_SYS_NICE"), result[1]);
  }

  @Test
  void latencyFifo_inCpuGroupWithRtRuntime_runs() throws Exception {
    String[] result = runInCpuGroup(100_000, "rt", "latency", "--loops", "5", "--json");
    assertEquals("0", result[0], result[1]);
    assertTrue(result[1].contains("\"policy\" : \"fifo\""), result[1]);
  }
}
