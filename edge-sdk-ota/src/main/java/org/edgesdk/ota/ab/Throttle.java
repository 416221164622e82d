package org.edgesdk.ota.ab;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket on a stream: at most {@code rate} bytes per second on average, with bursts of at
 * most one second's worth. Each read passes through to exactly one read of the underlying stream
 * (so a {@link org.edgesdk.ota.tuf.TargetStream} checkpoint by unconsumed bytes stays exact).
 */
final class Throttle extends FilterInputStream {
  private final long rate;
  private final long capacity;
  private final Clock clock;
  private final Sleeper sleeper;
  private double tokens;
  private Instant last;
  private Duration slept = Duration.ZERO;

  Throttle(InputStream in, long rate, Clock clock, Sleeper sleeper) {
    super(in);
    this.rate = rate;
    this.capacity = Math.max(1, Math.min(rate, 1L << 20));
    this.clock = clock;
    this.sleeper = sleeper;
    this.tokens = capacity;
    this.last = clock.instant();
  }

  /** The total time this throttle asked its sleeper to wait. */
  Duration slept() {
    return slept;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, (int) Math.min(len, capacity));
    if (n > 0) {
      take(n);
    }
    return n;
  }

  private void take(int n) throws IOException {
    Instant now = clock.instant();
    long elapsed = Math.max(0, Duration.between(last, now).toNanos());
    last = now;
    tokens = Math.min(capacity, tokens + elapsed * (double) rate / 1e9);
    tokens -= n;
    if (tokens < 0) {
      Duration wait = Duration.ofNanos((long) Math.ceil(-tokens * 1e9 / rate));
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while the download was throttled");
      }
      slept = slept.plus(wait);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported on a throttled download");
  }
}
