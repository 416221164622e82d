package org.edgesdk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.LaneConfig;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.OverflowPolicy;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityTest {

  @TempDir Path dir;

  /** Every message below has the same record size, so caps can be stated in records. */
  private static NewMessage msg(String lane, int i) {
    return NewMessage.of(String.format("%06d", i).getBytes(StandardCharsets.US_ASCII)).withLane(lane)
        .withDurability(Durability.BUFFERED);
  }

  private long recordBytes(String lane) {
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir.resolve("probe-" + lane)).build())) {
      q.enqueue(msg(lane, 0)).await();
      return q.stats().bytes();
    }
  }

  private static List<String> payloads(DurableQueue q) {
    return q.browse(0, 1000).stream().map(m -> new String(m.payload(), StandardCharsets.US_ASCII)).toList();
  }

  @Test
  void laneCap_dropOldest_keepsNewestWithinTheCap_andCountsDrops() {
    long record = recordBytes("t");
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir)
        .lane(LaneConfig.of("t").withCap(10 * record, OverflowPolicy.DROP_OLDEST)).build())) {
      for (int i = 0; i < 30; i++) {
        q.enqueue(msg("t", i)).await();
      }
      QueueStats s = q.stats();
      assertEquals(10, s.messages());
      assertEquals(10 * record, s.bytes(), "byte-accurate: exactly at the cap");
      assertEquals(20, s.dropped());
      assertEquals("000020", payloads(q).get(0));
    }
  }

  @Test
  void laneCap_rejectNew_failsTheAcknowledgementWithBusy_keepsOldest() {
    long record = recordBytes("alarms");
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir)
        .lane(LaneConfig.of("alarms").withCap(3 * record, OverflowPolicy.REJECT_NEW)).build())) {
      for (int i = 0; i < 3; i++) {
        q.enqueue(msg("alarms", i)).await();
      }
      EdgeException e = assertThrows(EdgeException.class, () -> q.enqueue(msg("alarms", 3)).await());
      assertEquals(ErrorCode.BUSY, e.code());
      assertTrue(e.problem().contains("lane 'alarms' holds " + 3 * record + " of its " + 3 * record + " bytes"),
          e.problem());
      assertEquals(List.of("000000", "000001", "000002"), payloads(q));
      assertEquals(1, q.stats().dropped());
      q.cursor("c").ack(q.cursor("c").peek(1));
      q.enqueue(msg("alarms", 4)).await();
      assertEquals(List.of("000001", "000002", "000004"), payloads(q));
    }
  }

  @Test
  void queueCap_reservedShare_keepsRoomForCriticalLane_whileBulkFloods() {
    long bulkRecord = recordBytes("bulk");
    long alarmRecord = recordBytes("alarms");
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir)
        .maxBytes(20 * bulkRecord + 5 * alarmRecord)
        .lane(LaneConfig.of("alarms").withCap(Long.MAX_VALUE, OverflowPolicy.REJECT_NEW)
            .withReserved(5 * alarmRecord))
        .build())) {
      for (int i = 0; i < 100; i++) {
        q.enqueue(msg("bulk", i)).await();
      }
      QueueStats flooded = q.stats();
      assertEquals(20, flooded.lanes().get("bulk").messages(), "bulk may not eat the reserved share");
      assertEquals(80, flooded.dropped());
      for (int i = 0; i < 5; i++) {
        q.enqueue(msg("alarms", i)).await();
      }
      QueueStats s = q.stats();
      assertEquals(5, s.lanes().get("alarms").messages());
      assertEquals(20, s.lanes().get("bulk").messages());
      assertTrue(s.bytes() <= 20 * bulkRecord + 5 * alarmRecord);
      EdgeException e = assertThrows(EdgeException.class, () -> q.enqueue(msg("alarms", 5)).await());
      assertEquals(ErrorCode.BUSY, e.code());
    }
  }

  @Test
  void queueCap_criticalLaneClaimsItsReserveFromBulk_thenDropsItsOwnOldest() {
    long record = recordBytes("bulk"); // "crit" has the same record size
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir)
        .maxBytes(10 * record)
        .lane(LaneConfig.of("crit").withReserved(4 * record))
        .build())) {
      for (int i = 0; i < 6; i++) {
        q.enqueue(msg("bulk", i)).await();
      }
      for (int i = 0; i < 6; i++) {
        q.enqueue(msg("crit", 100 + i)).await();
      }
      QueueStats s = q.stats();
      assertEquals(10 * record, s.bytes(), s.toString());
      assertEquals(5, s.lanes().get("crit").messages(), s.toString());
      assertEquals(5, s.lanes().get("bulk").messages(), s.toString());
      assertEquals(List.of("000001", "000002", "000003", "000004", "000005", "000101", "000102", "000103",
          "000104", "000105"), payloads(q));
    }
  }

  @Test
  void drops_areCountedAcrossRestart() {
    long record = recordBytes("t");
    QueueConfig config = QueueConfig.builder(dir)
        .lane(LaneConfig.of("t").withCap(2 * record, OverflowPolicy.DROP_OLDEST)).build();
    try (DurableQueue q = DurableQueues.open(config)) {
      for (int i = 0; i < 5; i++) {
        q.enqueue(msg("t", i));
      }
    }
    try (DurableQueue q = DurableQueues.open(config)) {
      assertEquals(3, q.stats().dropped());
      assertEquals(2, q.stats().messages());
    }
  }
}
