package org.edgesdk.store.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * One message as stored: the value of the {@code messages} map, framed with a CRC32C (MVStore's
 * page checksums cover a page's position, not its data).
 *
 * <p>Record format 1, big-endian: {@code int crc32c} of everything after it, {@code byte 1} (format),
 * {@code long idHigh, long idLow} (UUID), {@code long sequence}, {@code long createdEpochMillis},
 * {@code long createdStoreNanos}, {@code long ttlNanos} (-1 for none), {@code byte priority},
 * {@code short laneLength, lane UTF-8}, {@code short headerCount}, per header {@code short keyLength,
 * key UTF-8, int valueLength, value UTF-8}, {@code int payloadLength, payload}.
 */
record StoredRecord(
    UUID id,
    long sequence,
    long createdEpochMillis,
    long createdStoreNanos,
    long ttlNanos,
    int priority,
    String lane,
    Map<String, String> headers,
    byte[] payload) {

  static final byte FORMAT = 1;

  byte[] encode() {
    return encode(lane.getBytes(StandardCharsets.UTF_8));
  }

  /** Encodes with the lane already encoded ({@code laneBytes}: the lane in UTF-8). */
  byte[] encode(byte[] laneBytes) {
    int size = 4 + 1 + 16 + 8 * 4 + 1 + 2 + laneBytes.length + 2 + 4 + payload.length;
    Map<byte[], byte[]> encodedHeaders = headers.isEmpty() ? Map.of() : new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      byte[] k = h.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = h.getValue().getBytes(StandardCharsets.UTF_8);
      if (k.length > Short.MAX_VALUE) {
        throw new IllegalArgumentException("header name longer than 32767 bytes: " + h.getKey().substring(0, 40));
      }
      encodedHeaders.put(k, v);
      size += 2 + k.length + 4 + v.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(0);
    b.put(FORMAT);
    b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    b.putLong(sequence).putLong(createdEpochMillis).putLong(createdStoreNanos).putLong(ttlNanos);
    b.put((byte) priority);
    b.putShort((short) laneBytes.length).put(laneBytes);
    b.putShort((short) encodedHeaders.size());
    encodedHeaders.forEach((k, v) -> b.putShort((short) k.length).put(k).putInt(v.length).put(v));
    b.putInt(payload.length).put(payload);
    byte[] bytes = b.array();
    ByteBuffer.wrap(bytes).putInt(crc(bytes));
    return bytes;
  }

  /** The offset of the sequence field in an encoded record. */
  private static final int SEQUENCE_OFFSET = 4 + 1 + 16;

  /**
   * Writes {@code sequence} into an encoded record (encoded with any sequence) and recomputes its
   * checksum, in place.
   */
  static void patchSequence(byte[] bytes, long sequence) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.putLong(SEQUENCE_OFFSET, sequence);
    b.putInt(0, crc(bytes));
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 4, bytes.length - 4);
    return (int) crc.getValue();
  }

  /**
   * Decodes a record, checking its checksum, format and lengths.
   *
   * @throws CorruptRecordException saying what was expected and what was found
   */
  static StoredRecord decode(long key, byte[] bytes) {
    if (bytes.length < 4 + 1 + 16 + 32 + 1 + 2 + 2 + 4) {
      throw new CorruptRecordException(key, "expected at least 62 bytes, found " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int stored = b.getInt();
    int actual = crc(bytes);
    if (stored != actual) {
      throw new CorruptRecordException(key, String.format(
          "CRC32C mismatch: stored %08x, computed %08x over %d bytes", stored, actual, bytes.length - 4));
    }
    byte format = b.get();
    if (format != FORMAT) {
      throw new CorruptRecordException(key, "expected record format " + FORMAT + ", found " + format);
    }
    try {
      UUID id = new UUID(b.getLong(), b.getLong());
      long sequence = b.getLong();
      if (sequence != key) {
        throw new CorruptRecordException(key, "record carries sequence " + sequence);
      }
      long created = b.getLong();
      long createdStore = b.getLong();
      long ttl = b.getLong();
      int priority = b.get();
      String lane = string(b, b.getShort());
      int headerCount = b.getShort();
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 0; i < headerCount; i++) {
        String k = string(b, b.getShort());
        headers.put(k, string(b, b.getInt()));
      }
      byte[] payload = new byte[b.getInt()];
      b.get(payload);
      if (b.hasRemaining()) {
        throw new CorruptRecordException(key, b.remaining() + " bytes after the payload");
      }
      return new StoredRecord(id, sequence, created, createdStore, ttl, priority, lane, headers, payload);
    } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
      throw new CorruptRecordException(key, "a length field points past the end of the "
          + bytes.length + "-byte record");
    }
  }

  private static String string(ByteBuffer b, int length) {
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A record that fails its checksum or format checks. */
  static final class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptRecordException(long key, String detail) {
      super("record " + key + ": " + detail);
    }
  }
}
