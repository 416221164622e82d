package org.edgesdk.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CpuSetTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0-3,6|0-3,6",
        "0 1 2 3|0-3",
        "' 0 1 2 3 '|0-3",
        "7,6,5|5-7",
        "0,2,4|0,2,4",
        "3|3",
        "0-3 6-7|0-3,6-7",
        "1-1|1",
      })
  void parse_kernelSyntaxes_writesCanonicalList(String text, String canonical) {
    assertEquals(canonical, CpuSet.parse(text).toString());
  }

  @Test
  void parse_trailingNewline_isIgnored() {
    assertEquals(CpuSet.range(0, 1), CpuSet.parse("0-1\n"));
    assertEquals(CpuSet.range(0, 3), CpuSet.parse("0 1 2 3 \n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n"})
  void parse_blank_isEmpty(String text) {
    CpuSet set = CpuSet.parse(text);
    assertTrue(set.isEmpty());
    assertEquals("", set.toString());
    assertEquals(-1, set.last());
  }

  @Test
  void parse_reversedRange_namesTheRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("0,5-2"));
    assertTrue(e.getMessage().contains("5-2"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "0-", "-1", "0,,1", "0, ,1", ",0", "1.5", "0-3:2", "99999999"})
  void parse_garbage_namesTheOffendingText(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse(text));
    assertTrue(e.getMessage().contains("CPU"), e.getMessage());
  }

  @Test
  void parse_beyond1024Cpus_isExact() {
    CpuSet set = CpuSet.parse("0,1023-1025,4095");
    assertEquals(5, set.size());
    assertTrue(set.contains(1024));
    assertFalse(set.contains(1026));
    assertEquals(4095, set.last());
  }

  @Test
  void toWords_fromWords_roundTripAcrossWordBoundaries() {
    CpuSet set = CpuSet.parse("0,63-64,130");
    long[] words = set.toWords();
    assertEquals(3, words.length);
    assertEquals(1L | (1L << 63), words[0]);
    assertEquals(1L, words[1]);
    assertEquals(1L << 2, words[2]);
    assertEquals(set, CpuSet.fromWords(words));
  }

  @Test
  void intersect_clampsToEffectiveCpuset() {
    CpuSet requested = CpuSet.range(0, 7);
    CpuSet effective = CpuSet.parse("2-3,6");
    assertEquals(CpuSet.of(2, 3, 6), requested.intersect(effective));
    assertTrue(requested.containsAll(effective));
    assertFalse(effective.containsAll(requested));
    assertEquals(requested, effective.union(requested));
  }

  @Test
  void of_outOfRange_throws() {
    assertThrows(IllegalArgumentException.class, () -> CpuSet.of(-1));
    assertThrows(IllegalArgumentException.class, () -> CpuSet.of(CpuSet.MAX_CPU + 1));
    assertThrows(IllegalArgumentException.class, () -> CpuSet.range(3, 2));
  }

  @Test
  void equalsAndHashCode_dependOnMembersOnly() {
    assertEquals(CpuSet.parse("0 1 2"), CpuSet.range(0, 2));
    assertEquals(CpuSet.parse("0 1 2").hashCode(), CpuSet.range(0, 2).hashCode());
    assertArrayEquals(new int[] {0, 1, 2}, CpuSet.range(0, 2).toArray());
  }
}
