package org.edgesdk.api.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreContractsTest {

  @Test
  void newMessage_of_hasDocumentedDefaults() {
    NewMessage m = NewMessage.of(new byte[] {1, 2});
    assertEquals("default", m.lane());
    assertEquals(4, m.priority());
    assertEquals(Map.of(), m.headers());
    assertEquals(Optional.empty(), m.ttl());
    assertEquals(Durability.SYNCED, m.durability());
  }

  @Test
  void newMessage_payload_isCopiedInAndOut() {
    byte[] bytes = {1, 2, 3};
    NewMessage m = NewMessage.of(bytes);
    bytes[0] = 9;
    m.payload()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, m.payload());
  }

  @Test
  void newMessage_invalidValues_throwNamingTheValue() {
    NewMessage m = NewMessage.of(new byte[0]);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.withPriority(10))
        .getMessage().contains("10"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.withLane(" "))
        .getMessage().contains("' '"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.withTtl(Duration.ZERO))
        .getMessage().contains("PT0S"));
    assertThrows(NullPointerException.class, () -> m.withDurability(null));
  }

  @Test
  void queueConfig_builder_hasDocumentedDefaults() {
    QueueConfig c = QueueConfig.builder(Path.of("/tmp/q")).build();
    assertEquals(Duration.ofSeconds(1), c.commitInterval());
    assertEquals(Duration.ZERO, c.maxSyncDelay());
    assertEquals(5, c.maxAttempts());
    assertEquals("dead-letter", c.deadLetterLane());
    assertEquals(Long.MAX_VALUE, c.maxBytes());
    assertEquals(1 << 20, c.maxMessageBytes());
    assertEquals(LaneConfig.of("x"), c.lane("x"));
    assertEquals(false, c.startFreshIfUnreadable());
    assertEquals(Clock.systemUTC(), c.clock());
  }

  @Test
  void queueConfig_reservedAboveCap_isRejected() {
    QueueConfig.Builder b = QueueConfig.builder(Path.of("/tmp/q")).maxBytes(1000)
        .lane(LaneConfig.of("alarms").withReserved(1000));
    assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage().contains("1000"));
  }

  @Test
  void laneConfig_invalidWeight_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> LaneConfig.of("a").withWeight(0));
    assertThrows(IllegalArgumentException.class, () -> LaneConfig.of("a").withCap(0, OverflowPolicy.REJECT_NEW));
  }
}
