package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.tuf.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy hooks of {@link AbUpdater.Builder}: maintenance window, consent, bandwidth limit. */
class PolicyHooksTest {
  @TempDir Path dir;

  private static final MaintenanceWindow NIGHT =
      MaintenanceWindow.daily(LocalTime.of(2, 0), Duration.ofHours(3), ZoneId.of("Europe/Berlin"));

  @Test
  void maintenanceWindow_contains_localTimesAcrossMidnightAndDst() {
    // Berlin is UTC+1 in January: 02:00-05:00 local is 01:00-04:00 UTC
    assertTrue(NIGHT.contains(Instant.parse("2026-01-10T01:00:00Z")));
    assertTrue(NIGHT.contains(Instant.parse("2026-01-10T03:59:59Z")));
    assertFalse(NIGHT.contains(Instant.parse("2026-01-10T04:00:00Z")));
    assertFalse(NIGHT.contains(Instant.parse("2026-01-10T00:59:59Z")));
    assertEquals(Instant.parse("2026-01-11T01:00:00Z"), NIGHT.nextOpening(Instant.parse("2026-01-10T12:00:00Z")));
    // in July (UTC+2) the same local window is 00:00-03:00 UTC
    assertEquals(Instant.parse("2026-07-11T00:00:00Z"), NIGHT.nextOpening(Instant.parse("2026-07-10T12:00:00Z")));
    MaintenanceWindow late = MaintenanceWindow.daily(LocalTime.of(22, 0), Duration.ofHours(4), ZoneOffset.UTC);
    assertTrue(late.contains(Instant.parse("2026-01-10T01:30:00Z")), "a window that runs past midnight");
    assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.daily(LocalTime.NOON, Duration.ZERO, ZoneOffset.UTC));
  }

  @Test
  void install_outsideWindow_notAppliedNamingNextWindow_insideInstalls() throws Exception {
    AbFixture f = new AbFixture(dir);
    f.publish("rootfs-2.img", AbFixture.image(2, 100_000), "2.0", 1, false);
    MutableClock clock = new MutableClock(Instant.parse("2026-01-10T12:00:00Z"));
    AbUpdater u = AbUpdater.builder(f.config()).hostRoot(f.host).clock(clock).maintenanceWindow(NIGHT).build();
    TargetDescription t = u.chooseTarget(Optional.empty()).orElseThrow();
    EdgeException e = assertThrows(EdgeException.class, () -> u.install(t));
    assertEquals(ErrorCode.NOT_APPLIED, e.code());
    assertTrue(e.problem().contains("maintenance window") && e.problem().contains("2026-01-11T01:00:00Z"), e.problem());
    assertEquals(UpdateState.IDLE, u.status().state(), "nothing started");
    assertEquals(0, f.slot("B").length, "slot B untouched");
    clock.set(Instant.parse("2026-01-11T01:30:00Z"));
    assertEquals("B", u.install(t));
  }

  @Test
  void install_consentDeferred_refusedUntilThenPersistedAcrossRestarts() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 100_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    Instant until = Instant.parse("2026-03-01T18:00:00Z");
    List<String> asked = new ArrayList<>();
    AbUpdater u = AbUpdater.builder(f.config()).hostRoot(f.host).clock(clock)
        .consent(t -> {
          asked.add(t.name());
          return Consent.deferUntil(until);
        }).build();
    TargetDescription t = u.chooseTarget(Optional.empty()).orElseThrow();
    EdgeException e = assertThrows(EdgeException.class, () -> u.install(t));
    assertEquals(ErrorCode.NOT_APPLIED, e.code());
    assertTrue(e.problem().contains("deferred") && e.problem().contains(until.toString()), e.problem());
    assertEquals(List.of("rootfs-2.img"), asked, "asked before the download");
    assertEquals(UpdateState.IDLE, u.status().state());

    // a restarted application: the deferral is remembered, the callback is not asked again
    AtomicInteger askedAgain = new AtomicInteger();
    AbUpdater restarted = AbUpdater.builder(f.config()).hostRoot(f.host).clock(clock)
        .consent(x -> {
          askedAgain.incrementAndGet();
          return Consent.proceed();
        }).build();
    TargetDescription again = restarted.chooseTarget(Optional.empty()).orElseThrow();
    EdgeException still = assertThrows(EdgeException.class, () -> restarted.install(again));
    assertEquals(ErrorCode.NOT_APPLIED, still.code());
    assertEquals(0, askedAgain.get());

    clock.set(until);
    assertEquals("B", restarted.install(again));
    assertEquals(1, askedAgain.get());
    assertArrayEquals(v2, f.slot("B"));
  }

  @Test
  void install_consentDeclined_notAppliedNothingWritten() throws Exception {
    AbFixture f = new AbFixture(dir);
    f.publish("rootfs-2.img", AbFixture.image(2, 100_000), "2.0", 1, false);
    AbUpdater u = AbUpdater.builder(f.config()).hostRoot(f.host).consent(t -> Consent.decline()).build();
    EdgeException e = assertThrows(EdgeException.class, () -> u.install(u.chooseTarget(Optional.empty()).orElseThrow()));
    assertEquals(ErrorCode.NOT_APPLIED, e.code());
    assertTrue(e.problem().contains("declined"), e.problem());
    assertEquals(0, f.slot("B").length, "slot B not written");
  }

  @Test
  void throttle_tokenBucket_sleepsForTheBytesAboveTheRate() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<Duration> sleeps = new ArrayList<>();
    Sleeper sleeper = d -> {
      sleeps.add(d);
      clock.advance(d);
    };
    long rate = 100_000;
    int total = 1_000_000;
    Throttle t = new Throttle(new ByteArrayInputStream(new byte[total]), rate, clock, sleeper);
    byte[] buf = new byte[64 * 1024];
    long read = 0;
    int n;
    while ((n = t.read(buf, 0, buf.length)) > 0) {
      assertTrue(n <= rate, "a read never exceeds one second's worth");
      read += n;
    }
    assertEquals(total, read);
    // a full bucket (one second's worth) passes at once; the rest takes (total - rate) / rate
    Duration expected = Duration.ofNanos((total - rate) * 1_000_000_000L / rate);
    Duration slept = t.slept();
    assertTrue(slept.compareTo(expected.minusMillis(1)) >= 0 && slept.compareTo(expected.plusMillis(1)) <= 0,
        "slept " + slept + ", expected " + expected);
    assertFalse(sleeps.isEmpty());
  }

  @Test
  void install_bandwidthLimit_downloadPacedByTheSleeper() throws Exception {
    AbFixture f = new AbFixture(dir);
    byte[] v2 = AbFixture.image(2, 600_000);
    f.publish("rootfs-2.img", v2, "2.0", 1, false);
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<Duration> sleeps = new ArrayList<>();
    AbUpdater u = AbUpdater.builder(f.config()).hostRoot(f.host).clock(clock).bandwidthLimit(200_000)
        .sleeper(d -> {
          sleeps.add(d);
          clock.advance(d);
        }).build();
    f.installed(u, "rootfs-2.img");
    assertArrayEquals(v2, f.slot("B"));
    Duration total = sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    // 600 000 bytes at 200 000 B/s with a one-second burst: two seconds of waiting
    assertEquals(2000, total.toMillis(), 1, "total wait " + total);
  }

  @Test
  void builder_bandwidthBelowOne_illegalArgumentNamingValue() throws Exception {
    AbFixture f = new AbFixture(dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AbUpdater.builder(f.config()).bandwidthLimit(0));
    assertTrue(e.getMessage().contains("0"), e.getMessage());
  }
}
