package org.edgesdk.ota.tuf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Gzip (RFC 1952) as a sequence of independent members. {@link #write} compresses an image into
 * members of a fixed uncompressed size, a valid gzip file that {@code gzip -d} and {@code zcat}
 * read whole. {@link Reader} decompresses member by member on the JDK's {@link Inflater} and says
 * when it stands exactly at a member boundary, where the decompressor holds no state, so that a
 * consumer can checkpoint there and resume with a fresh reader at that input offset.
 */
public final class GzipMembers {
  /** The default uncompressed size of one member: 4 MiB. */
  public static final int DEFAULT_MEMBER_SIZE = 4 << 20;

  private static final int FTEXT = 1;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private GzipMembers() {}

  /**
   * Compresses {@code in} into {@code out} as gzip members of {@code memberSize} uncompressed bytes
   * each (the last may be shorter; an empty input gives one empty member).
   *
   * @param in the uncompressed bytes
   * @param out where the gzip file goes
   * @param memberSize the uncompressed bytes per member, at least 1
   * @param level the {@link Deflater} level, -1 to 9
   * @return the uncompressed length
   * @throws IOException if reading or writing fails
   */
  public static long write(InputStream in, OutputStream out, int memberSize, int level) throws IOException {
    if (memberSize < 1) {
      throw new IllegalArgumentException("memberSize must be >= 1 but was " + memberSize);
    }
    Deflater deflater = new Deflater(level, true);
    byte[] input = new byte[64 * 1024];
    byte[] output = new byte[64 * 1024];
    CRC32 crc = new CRC32();
    long total = 0;
    try {
      boolean first = true;
      while (true) {
        int n = in.readNBytes(input, 0, Math.min(input.length, memberSize));
        if (n == 0 && !first) {
          break;
        }
        first = false;
        deflater.reset();
        crc.reset();
        // header: magic, deflate, no flags, no mtime, no extra flags, OS unknown
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
        long member = 0;
        while (n > 0) {
          crc.update(input, 0, n);
          deflater.setInput(input, 0, n);
          while (!deflater.needsInput()) {
            int m = deflater.deflate(output);
            out.write(output, 0, m);
          }
          member += n;
          int next = (int) Math.min(input.length, memberSize - member);
          n = next == 0 ? 0 : in.readNBytes(input, 0, next);
        }
        deflater.finish();
        while (!deflater.finished()) {
          int m = deflater.deflate(output);
          out.write(output, 0, m);
        }
        writeIntLe(out, (int) crc.getValue());
        writeIntLe(out, (int) member);
        total += member;
        if (member < memberSize) {
          break;
        }
      }
    } finally {
      deflater.end();
    }
    return total;
  }

  private static void writeIntLe(OutputStream out, int v) throws IOException {
    out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }

  /**
   * Decompresses gzip member by member. Its input buffer is filled by exactly one
   * {@code read} call on the source at a time, so {@link #unconsumed()} never exceeds the count
   * the source's last read returned.
   */
  public static final class Reader implements AutoCloseable {
    private final InputStream in;
    private final String what;
    private final byte[] buf = new byte[64 * 1024];
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private int pos;
    private int len;
    private boolean inMember;
    private boolean ended;
    private boolean atBoundary = true;
    private long memberOut;
    private long members;

    /**
     * Creates a reader at the start of a member.
     *
     * @param in the compressed bytes, positioned at a member's first byte
     * @param what the name used in error messages
     */
    public Reader(InputStream in, String what) {
      this.in = in;
      this.what = what;
    }

    /**
     * Returns whether the reader stands at a member boundary: every member before it was read,
     * checked (CRC-32, length) and delivered, and nothing of the next was decompressed.
     *
     * @return {@code true} at a boundary (also before the first member)
     */
    public boolean atBoundary() {
      return atBoundary;
    }

    /**
     * Returns how many bytes of the source's last read the reader has not used.
     *
     * @return the unused input bytes in the buffer
     */
    public int unconsumed() {
      return len - pos;
    }

    /**
     * Returns how many members were read completely.
     *
     * @return the member count
     */
    public long members() {
      return members;
    }

    private boolean fill() throws IOException {
      if (pos < len) {
        return true;
      }
      int n;
      do {
        n = in.read(buf, 0, buf.length);
      } while (n == 0);
      if (n < 0) {
        pos = 0;
        len = 0;
        return false;
      }
      pos = 0;
      len = n;
      return true;
    }

    private int nextByte() throws IOException {
      if (!fill()) {
        throw corrupt("ends inside a gzip header or trailer");
      }
      return buf[pos++] & 0xff;
    }

    private IOException corrupt(String why) {
      return new java.util.zip.ZipException(what + " is not valid gzip: " + why + " (member " + (members + 1) + ")");
    }

    private void readHeader() throws IOException {
      if (nextByte() != 0x1f || nextByte() != 0x8b) {
        throw corrupt("bad magic number");
      }
      if (nextByte() != 8) {
        throw corrupt("compression method is not deflate");
      }
      int flags = nextByte();
      for (int i = 0; i < 6; i++) {
        nextByte(); // mtime, xfl, os
      }
      if ((flags & FEXTRA) != 0) {
        int xlen = nextByte() | nextByte() << 8;
        for (int i = 0; i < xlen; i++) {
          nextByte();
        }
      }
      if ((flags & FNAME) != 0) {
        while (nextByte() != 0) {
          // skip the name
        }
      }
      if ((flags & FCOMMENT) != 0) {
        while (nextByte() != 0) {
          // skip the comment
        }
      }
      if ((flags & FHCRC) != 0) {
        nextByte();
        nextByte();
      }
      if ((flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) != 0) {
        throw corrupt("reserved flag bits set");
      }
      inflater.reset();
      crc.reset();
      memberOut = 0;
      inMember = true;
      atBoundary = false;
    }

    private void readTrailer() throws IOException {
      long crcValue = nextByte() | nextByte() << 8 | nextByte() << 16 | (long) nextByte() << 24;
      long size = nextByte() | nextByte() << 8 | nextByte() << 16 | (long) nextByte() << 24;
      if (crcValue != crc.getValue()) {
        throw corrupt("CRC-32 " + Long.toHexString(crc.getValue()) + " but the trailer says " + Long.toHexString(crcValue));
      }
      if (size != (memberOut & 0xffffffffL)) {
        throw corrupt("length " + memberOut + " but the trailer says " + size + " (mod 2^32)");
      }
      inMember = false;
      atBoundary = true;
      members++;
    }

    /**
     * Decompresses into {@code b}. Returns early, possibly with 0 bytes, when a member ends, so the
     * caller can see {@link #atBoundary()} before the next member starts.
     *
     * @param b the output buffer
     * @return the bytes produced, or -1 when the input ended at a member boundary
     * @throws IOException if the input is not valid gzip or reading fails
     */
    public int read(byte[] b) throws IOException {
      if (ended) {
        return -1;
      }
      if (!inMember) {
        if (!fill()) {
          if (members == 0) {
            throw corrupt("is empty");
          }
          ended = true;
          return -1;
        }
        readHeader();
      }
      int produced = 0;
      try {
        while (produced < b.length) {
          if (inflater.needsInput()) {
            if (!fill()) {
              throw corrupt("ends inside compressed data");
            }
            inflater.setInput(buf, pos, len - pos);
          }
          int n = inflater.inflate(b, produced, b.length - produced);
          pos = len - inflater.getRemaining();
          if (n > 0) {
            crc.update(b, produced, n);
            produced += n;
            memberOut += n;
          }
          if (inflater.finished()) {
            readTrailer();
            return produced;
          }
          if (inflater.needsDictionary()) {
            throw corrupt("needs a preset dictionary");
          }
          if (n == 0 && !inflater.needsInput()) {
            break;
          }
        }
      } catch (DataFormatException e) {
        throw corrupt(e.getMessage() == null ? "bad deflate data" : e.getMessage());
      }
      return produced;
    }

    @Override
    public void close() {
      inflater.end();
    }
  }
}
