package org.edgesdk.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The chunk layout of queue format 2 ({@link StoredChunk}), pinned by a golden file. */
class StoredChunkTest {

  private static byte[] record(long sequence, String payload) {
    return new StoredRecord(new UUID(sequence, sequence), sequence, 1_000, 2_000, -1, 0, "default", Map.of(),
        payload.getBytes(StandardCharsets.UTF_8)).encode();
  }

  /** Records 40, 41 and 43 (42 was removed), payloads "a", "bb", "ccc". */
  static byte[] goldenChunk() {
    byte[][] records = {record(40, "a"), record(41, "bb"), record(43, "ccc")};
    int bytes = records[0].length + records[1].length + records[2].length;
    return StoredChunk.build(new long[] {40, 41, 43}, records, 3, bytes);
  }

  private static String golden() throws IOException {
    try (InputStream in = StoredChunkTest.class.getResourceAsStream("chunk-format-2.hex")) {
      if (in == null) {
        throw new IllegalStateException("missing golden file chunk-format-2.hex");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().filter(l -> !l.startsWith("#"))
          .reduce("", String::concat).strip();
    }
  }

  @Test
  void build_goldenChunk_encodesToGoldenBytes_andParsesBack() throws IOException {
    byte[] bytes = goldenChunk();
    assertEquals(golden(), HexFormat.of().formatHex(bytes));
    StoredChunk chunk = StoredChunk.parse(40, HexFormat.of().parseHex(golden()));
    assertEquals(3, chunk.count());
    assertEquals(43, chunk.sequence(2));
    assertEquals(2, chunk.indexOf(43));
    assertEquals(-1, chunk.indexOf(42));
    assertArrayEquals(record(41, "bb"), chunk.record(1));
    assertEquals("ccc", new String(StoredRecord.decode(43, chunk.record(2)).payload(), StandardCharsets.UTF_8));
  }

  @Test
  void parse_format1Value_isAChunkOfOneUnderItsKey() {
    byte[] single = record(7, "x");
    StoredChunk chunk = StoredChunk.parse(7, single);
    assertEquals(1, chunk.count());
    assertEquals(7, chunk.sequence(0));
    assertArrayEquals(single, chunk.record(0));
  }

  @Test
  void parse_anyFlippedBit_isDetectedByTheHeaderOrTheRecordChecksum() {
    byte[] bytes = goldenChunk();
    for (int i = 0; i < bytes.length * 8; i++) {
      byte[] copy = bytes.clone();
      copy[i / 8] ^= (byte) (1 << (i % 8));
      StoredChunk chunk;
      try {
        chunk = StoredChunk.parse(40, copy);
      } catch (StoredRecord.CorruptRecordException e) {
        continue; // the header
      }
      if (i / 8 == 4) {
        // the marker flipped: the value reads as a single format 1 record, which fails its checksum
        assertThrows(StoredRecord.CorruptRecordException.class, () -> StoredRecord.decode(40, copy));
        continue;
      }
      int corrupt = 0;
      for (int r = 0; r < chunk.count(); r++) {
        long seq = chunk.sequence(r);
        byte[] rec = chunk.record(r);
        try {
          StoredRecord.decode(seq, rec);
        } catch (StoredRecord.CorruptRecordException e) {
          corrupt++;
        }
      }
      if (corrupt != 1) {
        fail("bit " + i + " flipped: " + corrupt + " corrupt records, expected exactly 1");
      }
    }
  }

  @Test
  void parse_truncatedOrEmpty_isCorrupt() {
    byte[] bytes = goldenChunk();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThrows(StoredRecord.CorruptRecordException.class, () -> StoredChunk.parse(40, truncated));
    byte[] header = java.util.Arrays.copyOf(bytes, StoredChunk.FIXED_HEADER);
    assertThrows(StoredRecord.CorruptRecordException.class, () -> StoredChunk.parse(40, header));
  }
}
