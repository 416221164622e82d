package org.edgesdk.store.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory index of one chunk ({@link StoredChunk}) in primitive arrays, one slot per sequence
 * from the chunk's key: what peek, the caps and TTL need without reading records. A few bytes per
 * message instead of a map entry and an object each, so a long queue costs the garbage collector
 * little. I/O thread only.
 */
final class ChunkInfo {
  final long key;
  /** Slots in use: sequences {@code key .. key + span - 1}. */
  int span;
  /** Slots holding a live record. */
  int live;
  /** Whether records were removed since the chunk was last put. */
  boolean dirty;
  /** Per slot: the record's bytes; 0 for a removed or absent record. */
  private int[] bytes;
  private byte[] priority;
  /** The lane of every slot, unless {@link #lanes} is set. */
  private @Nullable String lane;
  private String @Nullable [] lanes;
  /** Per slot, once a record of the chunk has a time to live. */
  private long @Nullable [] created;
  private long @Nullable [] ttl;

  ChunkInfo(long key, int capacity) {
    this.key = key;
    this.bytes = new int[capacity];
    this.priority = new byte[capacity];
  }

  /** Adds the record with {@code sequence} (at or after the key, within 65536 of it). */
  void add(long sequence, String recordLane, int recordPriority, int recordBytes, long createdStoreNanos,
      long ttlNanos) {
    long offset = sequence - key;
    if (offset < 0 || offset >= 1 << 16) {
      throw new IllegalArgumentException("sequence " + sequence + " does not belong to the chunk at " + key);
    }
    int i = (int) offset;
    if (i >= bytes.length) {
      grow(Math.max(i + 1, bytes.length * 2));
    }
    if (lane == null && lanes == null) {
      lane = recordLane;
    } else if (lanes == null && !recordLane.equals(lane)) {
      String[] all = new String[bytes.length];
      Arrays.fill(all, lane);
      lanes = all;
    }
    String[] all = lanes;
    if (all != null) {
      all[i] = recordLane;
    }
    if (ttlNanos >= 0 && ttl == null) {
      created = new long[bytes.length];
      long[] t = new long[bytes.length];
      Arrays.fill(t, -1);
      ttl = t;
    }
    long[] c = created;
    long[] t = ttl;
    if (c != null && t != null) {
      c[i] = createdStoreNanos;
      t[i] = ttlNanos;
    }
    bytes[i] = recordBytes;
    priority[i] = (byte) recordPriority;
    span = Math.max(span, i + 1);
    live++;
  }

  private void grow(int capacity) {
    bytes = Arrays.copyOf(bytes, capacity);
    priority = Arrays.copyOf(priority, capacity);
    if (lanes != null) {
      lanes = Arrays.copyOf(lanes, capacity);
    }
    if (created != null && ttl != null) {
      created = Arrays.copyOf(created, capacity);
      int old = ttl.length;
      ttl = Arrays.copyOf(ttl, capacity);
      if (capacity > old) {
        Arrays.fill(ttl, old, capacity, -1);
      }
    }
  }

  /** Drops the spare capacity of a chunk that gets no more records. */
  void trim() {
    if (span < bytes.length) {
      grow(span);
    }
  }

  boolean isLive(long sequence) {
    long i = sequence - key;
    return i >= 0 && i < span && bytes[(int) i] > 0;
  }

  /** Marks a live record removed and returns its index entry. */
  MvQueue.Entry remove(long sequence) {
    MvQueue.Entry e = entry(sequence);
    bytes[(int) (sequence - key)] = 0;
    live--;
    return e;
  }

  /** The index entry of a live record. */
  MvQueue.Entry entry(long sequence) {
    int i = (int) (sequence - key);
    String l = lanes != null ? lanes[i] : lane;
    long[] c = created;
    long[] t = ttl;
    return new MvQueue.Entry(sequence, key, l == null ? "" : l, priority[i], bytes[i],
        c == null ? 0 : c[i], t == null ? -1 : t[i]);
  }
}
