package org.edgesdk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.edgesdk.store.internal.MvQueue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real crash tests: a child JVM ({@link CrashChild}) enqueues and prints every acknowledged id; the
 * test kills it with SIGKILL ({@link Process#destroyForcibly()} on Linux) at a random moment,
 * reopens the store and checks that every acknowledged id is there exactly once and no record is
 * corrupt. Trials accumulate in one directory, so each also recovers from the previous crashes.
 *
 * <p>{@code -Dedgesdk.crashTrials=N} runs N trials per durability level (default 50); the seed is
 * printed and can be replayed with {@code -Dedgesdk.crashSeed=S}.
 */
class CrashTest {
  private static final Pattern UUID_LINE =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"SYNCED", "COMMITTED"})
  void kill9_atRandomMoments_everyAcknowledgedIdSurvivesExactlyOnce(Durability durability) throws Exception {
    run(durability, -1);
  }

  /**
   * The same while the child rewrites (compacts into a fresh copy and renames) its store file at
   * nearly every commit: a kill during a copy, a rename or a reopen loses nothing acknowledged.
   */
  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"SYNCED", "COMMITTED"})
  void kill9_whileRewritingTheFile_everyAcknowledgedIdSurvivesExactlyOnce(Durability durability) throws Exception {
    run(durability, 1);
  }

  private void run(Durability durability, long rewriteSlack) throws Exception {
    int trials = Integer.getInteger("edgesdk.crashTrials", 50);
    long seed = Long.getLong("edgesdk.crashSeed", System.nanoTime());
    System.out.println("CrashTest " + durability + " seed " + seed + ", " + trials + " trials");
    Random random = new Random(seed);
    Set<String> acknowledged = new LinkedHashSet<>();
    int killedWithAcks = 0;
    long rewrites = 0;
    for (int trial = 0; trial < trials; trial++) {
      Process child = start(durability, 1 + random.nextInt(4), rewriteSlack);
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      Thread reader = drain(child.getInputStream(), stdout);
      waitForOpen(child, stdout);
      // a random moment while enqueuing: after 0 to 30 acknowledgements, then 0 to 50 ms more
      waitForLines(child, stdout, random.nextInt(31));
      Thread.sleep(random.nextInt(51));
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
      reader.join();
      List<String> ids = completeLines(stdout);
      if (!ids.isEmpty()) {
        killedWithAcks++;
      }
      acknowledged.addAll(ids);
      verify(durability, trial, seed, acknowledged);
      assertFalse(Files.exists(dir.resolve(MvQueue.REWRITE_FILE)), "a leftover rewrite copy after reopening");
      rewrites += lastRewriteCount(stdout);
    }
    System.out.println("CrashTest " + durability + ": " + acknowledged.size() + " acknowledged ids over "
        + trials + " kills (" + killedWithAcks + " with acknowledgements in flight)");
    assertTrue(killedWithAcks > trials / 2, "most kills must land while enqueuing: " + killedWithAcks);
    if (rewriteSlack >= 0) {
      System.out.println("CrashTest " + durability + ": " + rewrites + " acknowledged rewrites");
      assertTrue(rewrites >= trials, "the children rarely rewrote the file: " + rewrites);
    }
  }

  private void verify(Durability durability, int trial, long seed, Set<String> acknowledged) {
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).build())) {
      QueueStats stats = q.stats();
      assertEquals(0, stats.quarantined(), "corrupt records after trial " + trial + " (seed " + seed + ")");
      Map<String, Integer> counts = new HashMap<>();
      long next = 0;
      while (true) {
        List<Message> page = q.browse(next, 10_000);
        if (page.isEmpty()) {
          break;
        }
        for (Message m : page) {
          counts.merge(m.id(), 1, Integer::sum);
        }
        next = page.get(page.size() - 1).sequence() + 1;
      }
      assertEquals(stats.messages(), counts.values().stream().mapToLong(Integer::longValue).sum());
      for (String id : acknowledged) {
        Integer n = counts.get(id);
        assertEquals(1, n == null ? 0 : n, durability + " id " + id + " after trial " + trial + " (seed " + seed + ")");
      }
    }
  }

  private Process start(Durability durability, int producers, long rewriteSlack) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xmx64m");
    cmd.add("-cp");
    cmd.add(childClassPath());
    cmd.add(CrashChild.class.getName());
    cmd.add(dir.toString());
    cmd.add(durability.name());
    cmd.add(Integer.toString(producers));
    if (rewriteSlack >= 0) {
      cmd.add(Long.toString(rewriteSlack));
    }
    return new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolveSibling(dir.getFileName() + "-child.err").toFile()))
        .start();
  }

  /** The module path and class path of this test JVM, plus the test and main classes. */
  static String childClassPath() {
    List<String> entries = new ArrayList<>();
    Path base = Path.of(System.getProperty("basedir", "."));
    entries.add(base.resolve("target/test-classes").toString());
    entries.add(base.resolve("target/classes").toString());
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property, "");
      for (String e : value.split(File.pathSeparator)) {
        if (!e.isBlank() && !entries.contains(e)) {
          entries.add(e);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (sink) {
            sink.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // the child died; what was read is all there is
      }
    });
    t.start();
    return t;
  }

  private static void waitForOpen(Process child, ByteArrayOutputStream stdout) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && child.isAlive()) {
      synchronized (stdout) {
        if (stdout.toString(StandardCharsets.US_ASCII).startsWith("open\n")) {
          return;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("child did not open the queue (alive: " + child.isAlive() + ")");
  }

  private static void waitForLines(Process child, ByteArrayOutputStream stdout, int lines)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && child.isAlive()) {
      synchronized (stdout) {
        if (completeLines(stdout).size() >= lines) {
          return;
        }
      }
      Thread.sleep(1);
    }
    throw new AssertionError("child stopped acknowledging (alive: " + child.isAlive() + ")");
  }

  /** The child's last reported number of file rewrites. */
  private static long lastRewriteCount(ByteArrayOutputStream stdout) {
    long last = 0;
    for (String line : stdout.toString(StandardCharsets.US_ASCII).split("\n")) {
      if (line.startsWith("rewrites ")) {
        try {
          last = Long.parseLong(line.substring("rewrites ".length()).trim());
        } catch (NumberFormatException e) {
          // a line cut by the kill
        }
      }
    }
    return last;
  }

  /** Only complete lines count: a line cut by the kill was never fully printed. */
  private static List<String> completeLines(ByteArrayOutputStream stdout) {
    String text = stdout.toString(StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    List<String> ids = new ArrayList<>();
    if (end < 0) {
      return ids;
    }
    for (String line : text.substring(0, end).split("\n")) {
      if (UUID_LINE.matcher(line).matches()) {
        ids.add(line);
      }
    }
    return ids;
  }
}
