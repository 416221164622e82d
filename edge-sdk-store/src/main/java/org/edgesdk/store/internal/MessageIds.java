package org.edgesdk.store.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids a queue assigns: time-ordered UUIDs in the layout of RFC 9562 version 7, without a
 * {@link SecureRandom} call (and its lock) per message. The 48-bit Unix millisecond timestamp comes
 * from the queue's clock; the 12 bits of {@code rand_a} are random per queue opening; the 62 bits of
 * {@code rand_b} are a random per-opening start plus a per-opening counter (RFC 9562 section 6.2,
 * method 2, a monotonic random). So the ids of one opening differ in {@code rand_b} for 2^62 ids
 * whatever the clock does, and two openings (a reopen, another process, another device) share an id
 * only if they drew the same 74 random bits and reached the same counter value in the same
 * millisecond.
 */
final class MessageIds {
  private static final long RAND_B_MASK = (1L << 62) - 1;

  private final long randA;
  private final AtomicLong randB;

  MessageIds(SecureRandom random) {
    this.randA = random.nextLong() & 0xFFFL;
    this.randB = new AtomicLong(random.nextLong() & RAND_B_MASK);
  }

  /** The next id, with {@code epochMillis} as its timestamp. */
  UUID next(long epochMillis) {
    long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
    long lsb = Long.MIN_VALUE | (randB.getAndIncrement() & RAND_B_MASK); // variant 0b10
    return new UUID(msb, lsb);
  }
}
