package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fault injection: the process "loses power" (an exception stops it) at each durable step of
 * install, commit and rollback; a fresh process then powers on through the bootloader rules, resumes,
 * and finishes. After every cut a bootable slot holds a known-good image, and the update ends
 * committed or rolled back with consistent state.
 */
class PowerCutTest {
  @TempDir Path dir;

  static final class PowerCut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PowerCut(String step) {
      super("power cut at " + step);
    }
  }

  @ParameterizedTest(name = "cut at {0} #{1}, healthy={2}")
  @CsvSource({
      "downloading-persisted,1,true", "before-mark-unbootable,1,true", "marked-unbootable,1,true",
      "downloaded,1,true", "write-progress,1,true", "write-progress,2,true", "written,1,true",
      "verified,1,true", "installed-persisted,1,true", "activated,1,true", "trial-persisted,1,true",
      "before-mark-good,1,true", "marked-good,1,true", "floor-raised,1,true", "committed-persisted,1,true",
      "before-mark-bad,1,false", "marked-bad,1,false", "rolled-back-persisted,1,false"})
  void powerCut_atStep_knownGoodSlotBootsAndUpdateFinishes(String cutAt, int occurrence, boolean healthy) throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 20_000_000); // > 2 progress syncs of 8 MiB
    f.publish("rootfs-2.img.gz", v2, "2.0", 4, true);
    AtomicInteger seen = new AtomicInteger();
    AbUpdater faulty = f.updater(step -> {
      if (step.equals(cutAt) && seen.incrementAndGet() == occurrence) {
        throw new PowerCut(step);
      }
    });
    HealthCheck check = new HealthCheck("app", Duration.ofSeconds(5), () -> healthy);
    boolean cut = false;
    try {
      runToEnd(f, faulty, check);
    } catch (PowerCut expected) {
      cut = true;
    }
    assertTrue(cut, "the cut at " + cutAt + " happened");
    // power returns: the bootloader picks a slot; whatever it boots must hold a complete image
    String booted = f.powerOn();
    byte[] content = f.slot(booted);
    assertTrue(java.util.Arrays.equals(content, f.imageA) || java.util.Arrays.equals(content, v2),
        "booted slot " + booted + " holds a complete, verified image");
    AbUpdater fresh = f.updater(s -> {});
    UpdateStatus st = fresh.resume();
    if (st.state() == UpdateState.DOWNLOADING || st.state() == UpdateState.IDLE) {
      runToEnd(f, fresh, check);
    } else if (st.state() == UpdateState.INSTALLED) {
      assertEquals("B", f.powerOn());
      fresh.resume();
      fresh.checkHealth(List.of(check));
    } else if (st.state() == UpdateState.TRIAL) {
      fresh.checkHealth(List.of(check));
    }
    UpdateStatus end = fresh.status();
    if (healthy) {
      assertEquals(UpdateState.COMMITTED, end.state(), end.toString());
      assertEquals(new SlotStatus("good", Optional.of("2.0")), end.slots().get("B"));
      assertArrayEquals(v2, f.slot("B"));
      assertEquals("B", f.powerOn());
    } else {
      assertEquals(UpdateState.ROLLED_BACK, end.state(), end.toString());
      assertEquals("A", f.powerOn());
      assertArrayEquals(f.imageA, f.slot("A"));
    }
  }

  private static void runToEnd(AbFixture f, AbUpdater u, HealthCheck check) throws Exception {
    u.install(u.chooseTarget(Optional.of("rootfs-2.img.gz")).orElseThrow());
    assertEquals("B", f.powerOn());
    u.resume();
    u.checkHealth(List.of(check));
  }
}
