package org.edgesdk.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The in-memory message index: {@link ChunkInfo} slots and {@link MvQueue.Lane}'s per-priority
 * deques with lazy removal and compaction keep delivery order and the oldest entry right.
 */
class LaneIndexTest {

  private static int priority(long seq) {
    return (int) (seq * 7 % 10);
  }

  @Test
  void lane_manyRemovalsAroundSurvivors_keepsDeliveryOrderAndOldest() {
    MvQueue.Lane lane = new MvQueue.Lane();
    List<ChunkInfo> chunks = new ArrayList<>();
    for (long seq = 0; seq < 10_000; seq++) {
      if (seq % 100 == 0) {
        chunks.add(new ChunkInfo(seq, 100));
      }
      ChunkInfo c = chunks.get(chunks.size() - 1);
      c.add(seq, "l", priority(seq), 80, 0, -1);
      lane.add(c, seq, priority(seq));
    }
    // remove all but every 13th, in an order that is not the sequence order
    for (long seq = 9_999; seq >= 0; seq -= 2) {
      remove(lane, chunks, seq);
    }
    for (long seq = 0; seq < 10_000; seq += 2) {
      remove(lane, chunks, seq);
    }
    List<Long> survivors = LongStream.range(0, 10_000).filter(s -> s % 13 == 0).boxed().toList();
    assertEquals(survivors.size(), lane.size());
    assertEquals(0, lane.oldest().sequence());
    List<Long> expected = new ArrayList<>(survivors);
    expected.sort(Comparator.comparingInt((Long s) -> -priority(s)).thenComparingLong(s -> s));
    List<Long> order = new ArrayList<>();
    for (Iterator<MvQueue.Entry> it = lane.deliveryOrder(); it.hasNext(); ) {
      MvQueue.Entry e = it.next();
      assertEquals(priority(e.sequence()), e.priority());
      assertEquals(80, e.bytes());
      order.add(e.sequence());
    }
    assertEquals(expected, order);
    // drop the oldest, then the next oldest is the next survivor
    removeSurvivor(lane, chunks, 0);
    assertEquals(13, lane.oldest().sequence());
    // adds after removals keep their place
    ChunkInfo late = new ChunkInfo(10_000, 10);
    late.add(10_000, "l", 9, 80, 0, -1);
    lane.add(late, 10_000, 9);
    assertEquals(13, lane.oldest().sequence());
    Iterator<MvQueue.Entry> first = lane.deliveryOrder();
    long lastNine = -1;
    while (first.hasNext()) {
      MvQueue.Entry e = first.next();
      if (e.priority() == 9) {
        lastNine = e.sequence();
      }
    }
    assertEquals(10_000, lastNine);
  }

  private static void remove(MvQueue.Lane lane, List<ChunkInfo> chunks, long seq) {
    if (seq % 13 == 0) {
      return;
    }
    removeSurvivor(lane, chunks, seq);
  }

  private static void removeSurvivor(MvQueue.Lane lane, List<ChunkInfo> chunks, long seq) {
    ChunkInfo c = chunks.get((int) (seq / 100));
    if (c.isLive(seq)) {
      MvQueue.Entry e = c.remove(seq);
      lane.removed(e.priority());
    }
  }

  @Test
  void lane_allRemoved_isEmptyAndHasNoOldest() {
    MvQueue.Lane lane = new MvQueue.Lane();
    ChunkInfo c = new ChunkInfo(5, 4);
    for (long seq = 5; seq < 9; seq++) {
      c.add(seq, "l", 3, 70, 0, -1);
      lane.add(c, seq, 3);
    }
    for (long seq = 5; seq < 9; seq++) {
      lane.removed(c.remove(seq).priority());
    }
    assertTrue(lane.isEmpty());
    assertFalse(lane.deliveryOrder().hasNext());
    assertThrows(NoSuchElementException.class, lane::oldest);
    assertEquals(0, c.live);
  }

  @Test
  void chunkInfo_mixedLanesAndTtl_areKeptPerSlot() {
    ChunkInfo c = new ChunkInfo(100, 2);
    c.add(100, "a", 1, 70, 0, -1);
    c.add(101, "b", 2, 71, 500, 1_000);
    c.add(103, "a", 3, 72, 600, -1); // past the initial capacity, after a gap
    c.trim();
    assertEquals(4, c.span);
    assertEquals(3, c.live);
    assertFalse(c.isLive(102));
    assertEquals(new MvQueue.Entry(100, 100, "a", 1, 70, 0, -1), c.entry(100));
    assertEquals(new MvQueue.Entry(101, 100, "b", 2, 71, 500, 1_000), c.entry(101));
    assertEquals(new MvQueue.Entry(103, 100, "a", 3, 72, 600, -1), c.entry(103));
    assertThrows(IllegalArgumentException.class, () -> c.add(99, "a", 0, 70, 0, -1));
  }
}
