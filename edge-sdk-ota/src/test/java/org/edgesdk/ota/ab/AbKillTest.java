package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.boot.BootControl;
import org.edgesdk.ota.tuf.Nginx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crash tests of the A/B install: a child JVM ({@link AbKillChild}) runs a whole update cycle
 * (install, simulated reboot, resume, health check) on file-backed slots and prints each step name
 * as {@link AbUpdater} reports it; this test kills it with SIGKILL ({@link Process#destroyForcibly()}
 * on Linux, exit status 137) at every step name in turn, taken from an uninterrupted run of the same
 * cycle, including every write-progress point of the slot write and during the HTTP download (from
 * a rate-limited nginx on loopback). After each kill the test process powers the device on through
 * the bootloader rules, checks that every slot the bootloader may boot holds a complete image,
 * resumes and finishes the cycle: a healthy update ends committed, an unhealthy one rolled back.
 *
 * <p>The normal suite kills the healthy update at every step and once during the download, and the
 * unhealthy update at the steps where its path differs (trial and rollback) and once during the
 * download. {@code
 * -Dedgesdk.otaKillSweep=true} uses a 43 MB image (five write-progress points) and kills both at every
 * step and at three download points (several minutes on two cores).
 */
class AbKillTest {
  private static final String TARGET = "rootfs-2.img";
  private static final boolean SWEEP = Boolean.getBoolean("edgesdk.otaKillSweep");
  /** Two write-progress syncs (every 8 MiB) and a tail; five in the sweep. */
  private static final int IMAGE_BYTES = SWEEP ? 43_000_000 : 17_500_000;
  /**
   * The steps where the unhealthy update's path differs from the healthy one's, for the normal suite
   * (its install steps are the healthy update's, killed there).
   */
  private static final Set<String> UNHEALTHY_QUICK = Set.of("trial-persisted#1", "before-mark-bad#1",
      "marked-bad#1", "rolled-back-persisted#1");

  @TempDir static Path shared;

  private static AbFixture repo;
  private static byte[] imageA;
  private static byte[] imageB0;
  private static byte[] image2;
  private static @org.jspecify.annotations.Nullable Nginx nginx;
  private static @org.jspecify.annotations.Nullable URI slowRepository;
  private static final AtomicInteger TRIALS = new AtomicInteger();

  @BeforeAll
  static void publish() throws Exception {
    repo = new AbFixture(Files.createDirectory(shared.resolve("publisher")));
    imageA = repo.imageA;
    imageB0 = AbFixture.image(0, 250_000);
    image2 = AbFixture.image(2, IMAGE_BYTES);
    repo.publish(TARGET, image2, "2.0", 4, false);
    if (Nginx.AVAILABLE) {
      // a full-file request is sent at 4 MB/s, a resumed (Range) one at full speed, so a kill lands
      // during a download and the resume is quick
      Nginx n = Nginx.start(repo.repo.repositoryDir(), shared.resolve("nginx"),
          List.of("map $http_range $rate { \"\" 4m; default 0; }"), List.of("limit_rate $rate;"));
      nginx = n;
      slowRepository = n.uri();
    }
  }

  @AfterAll
  static void stopNginx() {
    Nginx n = nginx;
    if (n != null) {
      n.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> kill9_atEveryStep_healthyUpdateEndsCommitted() throws Exception {
    return trials(true);
  }

  @TestFactory
  Stream<DynamicTest> kill9_atEveryStep_unhealthyUpdateEndsRolledBack() throws Exception {
    return trials(false);
  }

  private Stream<DynamicTest> trials(boolean healthy) throws Exception {
    List<String> steps = referenceRun(healthy);
    List<DynamicTest> tests = new ArrayList<>();
    for (String step : steps) {
      if (healthy || SWEEP || UNHEALTHY_QUICK.contains(step)) {
        tests.add(DynamicTest.dynamicTest("kill -9 at " + step,
            () -> trial(healthy, step, repo.repo.repositoryDir().toUri())));
      }
    }
    List<Integer> downloadPoints = SWEEP ? List.of(6 << 20, 14 << 20, 30 << 20)
        : healthy ? List.of(6 << 20) : List.of(10 << 20);
    for (int bytes : downloadPoints) {
      tests.add(DynamicTest.dynamicTest("kill -9 during the download after " + (bytes >> 20) + " MiB", () -> {
        assumeTrue(slowRepository != null, "needs nginx (Debian package nginx, installed by .ci/run)");
        trial(healthy, "download>" + bytes, slowRepository);
      }));
    }
    return tests.stream();
  }

  /** Runs the cycle uninterrupted and returns its steps as {@code NAME#OCCURRENCE}, in order. */
  private static List<String> referenceRun(boolean healthy) throws Exception {
    Path dev = device(repo.repo.repositoryDir().toUri());
    Process child = start(dev, healthy, "none");
    List<String> lines = readAll(child);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "reference child did not end");
    assertEquals(0, child.exitValue(), "reference child failed: " + lines + "\n" + stderr(dev));
    System.out.println("AbKillTest reference run, healthy=" + healthy + ", after JVM start:\n" + stderr(dev));
    String last = lines.get(lines.size() - 1);
    assertEquals("# done " + (healthy ? "COMMITTED committed=true" : "ROLLED_BACK committed=false"), last);
    List<String> steps = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (String line : lines) {
      if (!line.startsWith("#")) {
        steps.add(line + "#" + counts.merge(line, 1, Integer::sum));
      }
    }
    // the names the install reports; a missing one would silently shrink the sweep
    for (String expected : List.of("downloading-persisted#1", "before-mark-unbootable#1", "marked-unbootable#1",
        "downloaded#1", "write-progress#1", "write-progress#2", "written#1", "verified#1",
        "installed-persisted#1", "activated#1", "trial-persisted#1",
        healthy ? "committed-persisted#1" : "rolled-back-persisted#1")) {
      assertTrue(steps.contains(expected), "the uninterrupted run reports " + expected + ": " + steps);
    }
    return steps;
  }

  /** One kill and recovery on a fresh device. */
  private static void trial(boolean healthy, String killAt, URI repository) throws Exception {
    Path dev = device(repository);
    Process child = start(dev, healthy, killAt.startsWith("download>") ? "none" : killAt);
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      if (killAt.startsWith("download>")) {
        long bytes = Long.parseLong(killAt.substring("download>".length()));
        waitForLine(r, lines, "marked-unbootable", child, dev);
        waitForPartial(dev, bytes, child);
      } else {
        String name = killAt.substring(0, killAt.indexOf('#'));
        int occurrence = Integer.parseInt(killAt.substring(killAt.indexOf('#') + 1));
        for (int i = 0; i < occurrence; i++) {
          waitForLine(r, lines, name, child, dev);
        }
      }
      // SIGKILL on Linux: no shutdown hooks, no finally blocks (it also closes our end of the pipe)
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
      assertEquals(137, child.exitValue(), "the child died of SIGKILL (128 + 9), not on its own: " + lines
          + "\n" + stderr(dev));
    }
    boolean download = killAt.startsWith("download>");
    long resumedBefore = download ? resumedDownloads() : 0;
    if (download) {
      assertFalse(lines.contains("downloaded"), "the kill landed during the download: " + lines);
    }
    recoverAndFinish(dev, healthy, killAt + " after " + lines);
    if (download) {
      assertEquals(resumedBefore + 1, resumedDownloads(),
          "the download resumed with a Range request that nginx answered with 206");
    }
  }

  private static void recoverAndFinish(Path dev, boolean healthy, String context) throws Exception {
    // power returns: the bootloader rules pick a slot, which must hold a complete image
    String booted = AbKillChild.powerOn(dev);
    assertCompleteImage(dev, booted, "booted slot " + booted + " (" + context + ")");
    AbUpdater u = AbKillChild.updater(dev, s -> {});
    BootControl boot = u.bootControl();
    for (String slot : boot.bootOrder()) { // every slot the bootloader may try, now or after a reset
      assertCompleteImage(dev, slot, "slot " + slot + " in the boot order " + boot.bootOrder() + " (" + context + ")");
    }
    UpdateStatus st = u.resume();
    assertConsistent(dev, st, context);
    HealthCheck check = new HealthCheck("app", Duration.ofSeconds(5), () -> healthy);
    switch (st.state()) {
      case IDLE, DOWNLOADING -> {
        u.install(u.chooseTarget(Optional.of(TARGET)).orElseThrow());
        assertEquals("B", AbKillChild.powerOn(dev), context);
        u.resume();
        u.checkHealth(List.of(check));
      }
      case INSTALLED -> {
        assertEquals("B", AbKillChild.powerOn(dev), context);
        u.resume();
        u.checkHealth(List.of(check));
      }
      case TRIAL -> u.checkHealth(List.of(check));
      case COMMITTED, ROLLED_BACK -> { }
    }
    UpdateStatus end = u.status();
    assertConsistent(dev, end, context);
    if (healthy) {
      assertEquals(UpdateState.COMMITTED, end.state(), end + " (" + context + ")");
      assertEquals(new SlotStatus("good", Optional.of("2.0")), end.slots().get("B"), context);
      assertArrayEquals(image2, slot(dev, "B"), context);
      assertEquals("B", AbKillChild.powerOn(dev), context);
      assertEquals("B", AbKillChild.powerOn(dev), "a committed slot keeps booting (" + context + ")");
    } else {
      assertEquals(UpdateState.ROLLED_BACK, end.state(), end + " (" + context + ")");
      assertFalse(boot.state("B").inOrder(), "the failed slot is out of the boot order (" + context + ")");
      assertEquals("A", AbKillChild.powerOn(dev), context);
      assertArrayEquals(imageA, slot(dev, "A"), context);
      Optional<TargetDescription> again = u.chooseTarget(Optional.empty());
      assertFalse(again.map(t -> t.name().equals(TARGET)).orElse(false),
          "a rolled-back target is not offered again (" + context + ")");
    }
  }

  /** The persisted state agrees with the slots' contents and the bootloader. */
  private static void assertConsistent(Path dev, UpdateStatus st, String context) throws IOException {
    for (Map.Entry<String, SlotStatus> e : st.slots().entrySet()) {
      if (e.getValue().version().filter("2.0"::equals).isPresent()) {
        assertArrayEquals(image2, slot(dev, e.getKey()), "slot " + e.getKey() + " reported as 2.0 (" + context + ")");
      }
    }
    if (st.state() == UpdateState.DOWNLOADING) {
      assertFalse(st.primary().map("B"::equals).orElse(false), "slot being written is primary: " + st);
    }
    assertTrue(st.primary().isPresent(), "some slot is bootable: " + st + " (" + context + ")");
  }

  private static void assertCompleteImage(Path dev, String slot, String what) throws IOException {
    byte[] content = slot(dev, slot);
    assertTrue(Arrays.equals(content, imageA) || Arrays.equals(content, imageB0) || Arrays.equals(content, image2),
        what + " holds a complete image, not " + content.length + " bytes of something else");
  }

  private static byte[] slot(Path dev, String name) throws IOException {
    return Files.readAllBytes(dev.resolve("slot-" + name.toLowerCase(java.util.Locale.ROOT) + ".img"));
  }

  /** A fresh device: slot A booted with its image, slot B holding an older complete image. */
  private static Path device(URI repository) throws IOException {
    Path dev = Files.createDirectory(shared.resolve("device-" + TRIALS.incrementAndGet()));
    Files.write(dev.resolve("slot-a.img"), imageA);
    Files.write(dev.resolve("slot-b.img"), imageB0);
    Files.createDirectories(dev.resolve("host/proc"));
    Files.writeString(dev.resolve("host/proc/cmdline"), "console=ttyS0 rauc.slot=A rw\n");
    Path root = repo.repo.repositoryDir().resolve("metadata/1.root.json");
    Files.writeString(dev.resolve("device.json"), """
        {
          "compatible": "sim",
          "bootloader": {"backend": "file", "file": "bootvars", "attempts": 3},
          "slots": {"A": "slot-a.img", "B": "slot-b.img"},
          "stateDirectory": "state",
          "repository": "%s",
          "trustedRoot": "%s"
        }
        """.formatted(repository, root));
    return dev;
  }

  private static Process start(Path dev, boolean healthy, String killAt) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m"));
    cmd.addAll(List.of("-cp", childClassPath(), AbKillChild.class.getName(),
        dev.toString(), TARGET, Boolean.toString(healthy), killAt, "5"));
    return new ProcessBuilder(cmd).redirectError(dev.resolve("child.err").toFile()).start();
  }

  private static String stderr(Path dev) {
    try {
      return Files.readString(dev.resolve("child.err"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static List<String> readAll(Process child) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static void waitForLine(BufferedReader r, List<String> lines, String step, Process child, Path dev)
      throws IOException {
    String line;
    while ((line = r.readLine()) != null) {
      lines.add(line);
      if (line.equals(step)) {
        return;
      }
    }
    throw new AssertionError("the child ended before step " + step + ": " + lines + " (alive " + child.isAlive()
        + ")\n" + stderr(dev));
  }

  /**
   * Waits until the streaming install has written at least {@code bytes} into slot B (the file
   * grows from its old 250,000 bytes as the download is decompressed into it), so the kill lands
   * mid-transfer, between two checkpoints (every 4 MiB written).
   */
  private static void waitForPartial(Path dev, long bytes, Process child) throws Exception {
    Path slot = dev.resolve("slot-b.img");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && child.isAlive()) {
      if (Files.size(slot) >= bytes) {
        return;
      }
      Thread.sleep(2);
    }
    throw new AssertionError("slot " + slot + " never held " + bytes + " bytes (alive "
        + child.isAlive() + ")\n" + stderr(dev));
  }

  /** The module path and class path of this test JVM, plus the test and main classes. */
  private static String childClassPath() {
    Set<String> entries = new LinkedHashSet<>();
    Path base = Path.of(System.getProperty("basedir", "."));
    entries.add(base.resolve("target/test-classes").toString());
    entries.add(base.resolve("target/classes").toString());
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      for (String e : System.getProperty(property, "").split(File.pathSeparator)) {
        if (!e.isBlank()) {
          entries.add(e);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Target requests nginx answered with 206 Partial Content so far. */
  private static long resumedDownloads() throws IOException {
    return Objects.requireNonNull(nginx, "nginx").accessLog().stream()
        .filter(l -> l.contains(TARGET + " HTTP/1.1\" 206 ")).count();
  }
}
