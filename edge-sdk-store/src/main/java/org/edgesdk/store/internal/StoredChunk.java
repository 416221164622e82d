package org.edgesdk.store.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Several records in one value of the {@code messages} map (queue format 2), so the I/O thread puts
 * one MVStore value, one page copy, per group of messages instead of one per message. The value's
 * key is the sequence number of the chunk's first record; its records have ascending sequence
 * numbers from the key up, with gaps where records were removed.
 *
 * <p>Chunk layout, big-endian: {@code int crc32c} of the header after it, {@code byte 2} (the chunk
 * marker), {@code int count}, per record {@code long sequence, int length}; then the records,
 * each in record format 1 ({@link StoredRecord}, with its own CRC32C), back to back. The header's
 * checksum locates the records; each record's checksum covers its contents, so a corrupt record is
 * quarantined alone and its neighbours stay readable.
 *
 * <p>A value written by queue format 1 is a single record (its fifth byte is the record format,
 * 1); it reads as a chunk of one record whose sequence is the key.
 */
final class StoredChunk {
  /** The fifth byte of a chunk value (a format 1 value holds the record format there, 1). */
  static final byte MARKER = 2;
  /** Bytes of the header before the per-record entries. */
  static final int FIXED_HEADER = 4 + 1 + 4;
  /** Bytes of the header per record. */
  static final int PER_RECORD = 8 + 4;

  private final long[] sequences;
  private final int[] offsets;
  private final int[] lengths;
  private final byte[] value;

  private StoredChunk(byte[] value, long[] sequences, int[] offsets, int[] lengths) {
    this.value = value;
    this.sequences = sequences;
    this.offsets = offsets;
    this.lengths = lengths;
  }

  /**
   * Parses a value's header (checking its checksum), not the records.
   *
   * @param key the value's key in the {@code messages} map
   * @throws StoredRecord.CorruptRecordException if the header is corrupt
   */
  static StoredChunk parse(long key, byte[] value) {
    if (value.length < FIXED_HEADER || value[4] != MARKER) {
      // format 1: one record under its own sequence (decoding it checks it)
      return new StoredChunk(value, new long[] {key}, new int[] {0}, new int[] {value.length});
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    int stored = b.getInt(0);
    int count = b.getInt(5);
    long headerEnd = FIXED_HEADER + (long) PER_RECORD * Math.max(0, count);
    if (count < 1 || headerEnd > value.length) {
      throw new StoredRecord.CorruptRecordException(key, "chunk header: expected 1 to "
          + (value.length - FIXED_HEADER) / PER_RECORD + " records in " + value.length + " bytes, found a count of "
          + count);
    }
    int actual = crc(value, (int) headerEnd);
    if (stored != actual) {
      throw new StoredRecord.CorruptRecordException(key, String.format(
          "chunk header CRC32C mismatch: stored %08x, computed %08x over %d bytes", stored, actual, headerEnd - 4));
    }
    long[] sequences = new long[count];
    int[] offsets = new int[count];
    int[] lengths = new int[count];
    long offset = headerEnd;
    long previous = key - 1;
    for (int i = 0; i < count; i++) {
      sequences[i] = b.getLong(FIXED_HEADER + i * PER_RECORD);
      lengths[i] = b.getInt(FIXED_HEADER + i * PER_RECORD + 8);
      offsets[i] = (int) offset;
      if (sequences[i] <= previous || lengths[i] < 0 || offset + lengths[i] > value.length) {
        throw new StoredRecord.CorruptRecordException(key, "chunk header: record " + i + " (sequence "
            + sequences[i] + ", " + lengths[i] + " bytes at " + offset + ") does not fit the " + value.length
            + "-byte chunk in ascending order");
      }
      previous = sequences[i];
      offset += lengths[i];
    }
    if (offset != value.length) {
      throw new StoredRecord.CorruptRecordException(key, "chunk header: records end at " + offset
          + ", the chunk at " + value.length);
    }
    return new StoredChunk(value, sequences, offsets, lengths);
  }

  /**
   * Builds a chunk value.
   *
   * @param sequences ascending sequence numbers, {@code count} of them used
   * @param records the encoded records, in the same order
   * @param count the number of records, at least 1
   * @param recordBytes the sum of the records' lengths
   */
  static byte[] build(long[] sequences, byte[][] records, int count, int recordBytes) {
    int headerEnd = FIXED_HEADER + PER_RECORD * count;
    byte[] value = new byte[headerEnd + recordBytes];
    ByteBuffer b = ByteBuffer.wrap(value);
    b.put(4, MARKER);
    b.putInt(5, count);
    int offset = headerEnd;
    for (int i = 0; i < count; i++) {
      b.putLong(FIXED_HEADER + i * PER_RECORD, sequences[i]);
      b.putInt(FIXED_HEADER + i * PER_RECORD + 8, records[i].length);
      System.arraycopy(records[i], 0, value, offset, records[i].length);
      offset += records[i].length;
    }
    b.putInt(0, crc(value, headerEnd));
    return value;
  }

  private static int crc(byte[] bytes, int end) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 4, end - 4);
    return (int) crc.getValue();
  }

  int count() {
    return sequences.length;
  }

  long sequence(int i) {
    return sequences[i];
  }

  /** The index of {@code sequence} in this chunk, or -1. */
  int indexOf(long sequence) {
    int i = java.util.Arrays.binarySearch(sequences, sequence);
    return i < 0 ? -1 : i;
  }

  /** A copy of record {@code i}'s bytes. */
  byte[] record(int i) {
    return java.util.Arrays.copyOfRange(value, offsets[i], offsets[i] + lengths[i]);
  }
}
