package org.edgesdk.ota.tuf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand (public for the tests of other packages). */
public final class MutableClock extends Clock {
  private Instant now;

  /**
   * Starts at {@code now}.
   *
   * @param now the first instant
   */
  public MutableClock(Instant now) {
    this.now = now;
  }

  /**
   * Moves the clock on.
   *
   * @param d how far
   */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  /**
   * Sets the clock to an instant, forwards or backwards.
   *
   * @param instant the new time
   */
  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Instant instant() {
    return now;
  }
}
