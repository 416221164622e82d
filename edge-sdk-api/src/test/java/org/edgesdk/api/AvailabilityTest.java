package org.edgesdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AvailabilityTest {

  @Test
  void of_value_isAvailableAndMaps() {
    Availability<Integer> khz = Availability.of(1_500_000);
    assertTrue(khz.isAvailable());
    assertEquals(Optional.of(1_500), khz.map(v -> v / 1000).toOptional());
    assertEquals(1_500_000, khz.orElseThrow());
  }

  @Test
  void unavailable_keepsReasonThroughMap_andThrowsUnsupported() {
    Availability<Integer> boost = Availability.unavailable("driver cpufreq-dt has no boost");
    Availability<String> mapped = boost.map(String::valueOf);
    assertFalse(mapped.isAvailable());
    assertEquals(Optional.empty(), mapped.toOptional());
    assertEquals(
        "driver cpufreq-dt has no boost", ((Availability.Unavailable<String>) mapped).reason());
    EdgeException e = assertThrows(EdgeException.class, boost::orElseThrow);
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertEquals("driver cpufreq-dt has no boost", e.problem());
  }

  @Test
  void unavailable_blankReason_throws() {
    assertThrows(IllegalArgumentException.class, () -> Availability.unavailable(" "));
  }
}
