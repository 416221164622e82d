package org.edgesdk.ota.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.digests.EncodableDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.util.Memoable;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.tuf.internal.Lending;
import org.jspecify.annotations.Nullable;

/**
 * A target's bytes as they arrive from the repository, checked against the length and hashes the
 * trusted targets metadata lists, without a copy anywhere: opened by
 * {@link TufClient#openTarget(org.edgesdk.api.ota.TargetDescription)}.
 *
 * <p>Every byte read is hashed with each listed algorithm this client supports (sha256, sha384,
 * sha512). When the last of the declared length has been read, the stream checks that the
 * repository sends nothing more and that every hash matches; a mismatch throws
 * {@link RepositoryRefusedException} ({@link Refusal#SUBSTITUTED_TARGET}, code
 * {@code VERIFICATION_FAILED}) naming the target from the {@code read} call that reached the end.
 * Until then the bytes are <em>unverified</em>: a consumer must not make them take effect before
 * {@link #finish()} (or a read returning {@code -1}) has returned.
 *
 * <p>A {@link Checkpoint} holds the offset and the hash states; persisted, it lets
 * {@link TufClient#openTarget(org.edgesdk.api.ota.TargetDescription, Checkpoint)} continue after a
 * power cut from that offset (an HTTP {@code Range} request), never fetching the bytes before it
 * again, and still verify the whole target at the end.
 *
 * <p>Not thread-safe. Closing the stream closes the transfer.
 */
public final class TargetStream extends InputStream {
  private static final int CHUNK = 64 * 1024;

  private final String name;
  private final long length;
  private final Map<String, String> expected;
  private final Map<String, Memoable> digests;
  /**
   * Replay mode: the JDK's digests (CPU intrinsics, several times faster than BouncyCastle's), whose
   * state cannot be saved, so a checkpoint holds only the offset and a resume re-hashes the prefix
   * from the caller's local copy. Empty in the default mode.
   */
  private final Map<String, MessageDigest> fast = new LinkedHashMap<>();
  private final boolean replayed;
  private final long replayedBytes;
  /** The hash states before the bytes the last read returned. */
  private final Map<String, Memoable> beforeLast = new LinkedHashMap<>();
  private final InputStream in;
  private final byte[] chunk = new byte[CHUNK];
  private long position;
  private int lastRead;
  private boolean verified;

  TargetStream(String name, long length, Map<String, String> expected, Checkpoint from, InputStream in) {
    this.name = name;
    this.length = length;
    this.expected = expected;
    this.in = in;
    this.position = from.offset();
    this.digests = restore(name, expected, from);
    digests.forEach((alg, d) -> beforeLast.put(alg, d.copy()));
    this.replayed = false;
    this.replayedBytes = 0;
  }

  /**
   * Opens in replay mode at {@code offset}: the first {@code offset} bytes are read from
   * {@code prefix} and hashed here; {@code in} supplies the rest.
   */
  TargetStream(String name, long length, Map<String, String> expected, long offset, InputStream prefix, InputStream in)
      throws IOException {
    this.name = name;
    this.length = length;
    this.expected = expected;
    this.in = in;
    this.position = offset;
    this.digests = Map.of();
    this.replayed = offset > 0;
    this.replayedBytes = offset;
    for (String alg : expected.keySet()) {
      fast.put(alg, jdkDigest(alg));
    }
    long left = offset;
    while (left > 0) {
      int n = prefix.read(chunk, 0, (int) Math.min(CHUNK, left));
      if (n < 0) {
        throw new IllegalArgumentException("the local copy of target " + name + " ends after " + (offset - left)
            + " of the checkpoint's " + offset + " bytes");
      }
      for (MessageDigest d : fast.values()) {
        d.update(chunk, 0, n);
      }
      left -= n;
    }
  }

  private static MessageDigest jdkDigest(String alg) {
    try {
      return MessageDigest.getInstance(switch (alg) {
        case "sha256" -> "SHA-256";
        case "sha384" -> "SHA-384";
        case "sha512" -> "SHA-512";
        default -> throw new IllegalArgumentException("unsupported hash " + alg);
      });
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + alg, e);
    }
  }

  /** The hash algorithms of {@code hashes} this client can compute, in a stable order. */
  static Map<String, String> supported(Map<String, String> hashes) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String alg : new java.util.TreeSet<>(hashes.keySet())) {
      if (newDigest(alg, null) != null) {
        result.put(alg.toLowerCase(Locale.ROOT), hashes.get(alg));
      }
    }
    return result;
  }

  private static Map<String, Memoable> restore(String name, Map<String, String> expected, Checkpoint from) {
    if (from.offset() > 0 && !from.digestStates().keySet().equals(expected.keySet())) {
      throw new IllegalArgumentException("checkpoint of target " + name + " holds hash states "
          + from.digestStates().keySet() + " but the metadata lists " + expected.keySet());
    }
    Map<String, Memoable> result = new LinkedHashMap<>();
    for (String alg : expected.keySet()) {
      String state = from.offset() > 0 ? from.digestStates().get(alg) : null;
      byte @Nullable [] encoded;
      try {
        encoded = state == null ? null : HexFormat.of().parseHex(state);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("checkpoint of target " + name + ": " + alg + " state is not hex", e);
      }
      result.put(alg, Objects.requireNonNull(newDigest(alg, encoded)));
    }
    return result;
  }

  private static @Nullable Memoable newDigest(String alg, byte @Nullable [] state) {
    try {
      return switch (alg.toLowerCase(Locale.ROOT)) {
        case "sha256" -> state == null ? new SHA256Digest() : new SHA256Digest(state);
        case "sha384" -> state == null ? new SHA384Digest() : new SHA384Digest(state);
        case "sha512" -> state == null ? new SHA512Digest() : new SHA512Digest(state);
        default -> null;
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the saved " + alg + " state cannot be restored (" + e + ")", e);
    }
  }

  /**
   * A resumable position in a target: the offset and the encoded state of each hash. The states
   * are opaque hex strings meant to be persisted and handed back unchanged.
   *
   * @param offset the bytes of the target read and hashed so far
   * @param digestStates per TUF hash algorithm name, its encoded state after {@code offset} bytes
   */
  public record Checkpoint(long offset, Map<String, String> digestStates) {
    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public Checkpoint {
      if (offset < 0) {
        throw new IllegalArgumentException("offset must be >= 0 but was " + offset);
      }
      digestStates = Map.copyOf(digestStates);
    }

    /**
     * Returns the checkpoint at the start of a target.
     *
     * @return offset 0 with fresh hashes
     */
    public static Checkpoint start() {
      return new Checkpoint(0, Map.of());
    }
  }

  /**
   * Returns the target's name.
   *
   * @return the target path the metadata lists
   */
  public String name() {
    return name;
  }

  /**
   * Returns the target's length the metadata lists.
   *
   * @return the length in bytes
   */
  public long length() {
    return length;
  }

  /**
   * Returns how many bytes of the target have been read, counting those before the checkpoint the
   * stream was opened at.
   *
   * @return the offset of the next byte
   */
  public long position() {
    return position;
  }

  /**
   * Returns whether the whole target has been read and its length and hashes matched.
   *
   * @return {@code true} once verified
   */
  public boolean verified() {
    return verified;
  }

  /**
   * Returns a checkpoint at the current {@link #position()}.
   *
   * @return the checkpoint
   */
  public Checkpoint checkpoint() {
    return checkpoint(0);
  }

  /**
   * Returns a checkpoint {@code unconsumed} bytes before the current position: for a consumer that
   * read ahead (a decompressor's input buffer) and wants to resume at the end of what it used. The
   * bytes after the checkpoint are fetched again on resume.
   *
   * @param unconsumed how many of the bytes the last {@code read} call returned were not used
   * @return the checkpoint at {@code position() - unconsumed}
   * @throws IllegalArgumentException unless {@code unconsumed} is between 0 and the count the last
   *     read returned
   */
  public Checkpoint checkpoint(int unconsumed) {
    if (unconsumed < 0 || unconsumed > lastRead) {
      throw new IllegalArgumentException("unconsumed must be within 0.." + lastRead + " but was " + unconsumed);
    }
    if (!fast.isEmpty()) { // replay mode: the resume re-hashes the prefix from the local copy
      return new Checkpoint(position - unconsumed, Map.of());
    }
    Map<String, String> states = new LinkedHashMap<>();
    for (Map.Entry<String, Memoable> e : digests.entrySet()) {
      Memoable state;
      if (unconsumed == 0) {
        state = e.getValue();
      } else {
        state = beforeLast.get(e.getKey()).copy();
        ((org.bouncycastle.crypto.Digest) state).update(chunk, 0, lastRead - unconsumed);
      }
      states.put(e.getKey(), HexFormat.of().formatHex(((EncodableDigest) state).getEncodedState()));
    }
    return new Checkpoint(position - unconsumed, states);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (position == length) {
      verifyEnd();
      lastRead = 0;
      return -1;
    }
    if (digests.isEmpty()) { // replay mode: no saved states, so no copy of the last read is kept
      int n = in.read(b, off, (int) Math.min(len, length - position));
      if (n < 0) {
        throw endedEarly();
      }
      for (MessageDigest d : fast.values()) {
        d.update(b, off, n);
      }
      position += n;
      lastRead = n;
      return n;
    }
    int want = (int) Math.min(Math.min(len, CHUNK), length - position);
    int n = in.read(chunk, 0, want);
    if (n < 0) {
      throw endedEarly();
    }
    for (Map.Entry<String, Memoable> e : digests.entrySet()) {
      beforeLast.get(e.getKey()).reset(e.getValue());
      ((org.bouncycastle.crypto.Digest) e.getValue()).update(chunk, 0, n);
    }
    for (MessageDigest d : fast.values()) {
      d.update(chunk, 0, n);
    }
    System.arraycopy(chunk, 0, b, off, n);
    position += n;
    lastRead = n;
    return n;
  }

  /**
   * Returns whether {@link #readChunk(int)} is available: the transport lends its buffers (the
   * HTTP transport does).
   *
   * @return {@code true} if chunks can be read without a copy
   */
  public boolean lendsChunks() {
    return in instanceof Lending;
  }

  /**
   * Reads the next bytes of the target without copying them: the transport's own buffer, hashed
   * like every byte {@code read} returns, lent to the caller until it calls
   * {@link Chunk#release()}. The same rules apply as for {@code read}: the bytes are unverified
   * until the end, and reaching the end verifies the whole target. A checkpoint taken right after
   * a chunk is at its end ({@link #checkpoint(int)} accepts only 0).
   *
   * @param max the most bytes wanted, at least 1
   * @return the chunk, or {@code null} at the end once the target is verified
   * @throws IllegalArgumentException if {@code max} is below 1
   * @throws IllegalStateException unless {@link #lendsChunks()}
   * @throws RepositoryRefusedException as {@code read}
   * @throws IOException as {@code read}
   */
  public @Nullable Chunk readChunk(int max) throws IOException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 but was " + max);
    }
    if (!(in instanceof Lending lender)) {
      throw new IllegalStateException("the transport of target " + name + " does not lend its buffers");
    }
    lastRead = 0;
    if (position == length) {
      verifyEnd();
      return null;
    }
    Lending.Loan loan = lender.lend((int) Math.min(max, length - position));
    if (loan == null) {
      throw endedEarly();
    }
    for (Map.Entry<String, Memoable> e : digests.entrySet()) {
      ((org.bouncycastle.crypto.Digest) e.getValue()).update(loan.array(), loan.offset(), loan.length());
    }
    for (MessageDigest d : fast.values()) {
      d.update(loan.array(), loan.offset(), loan.length());
    }
    position += loan.length();
    return new Chunk(loan);
  }

  /**
   * Bytes of the target lent by {@link #readChunk(int)}: the transport reuses their buffer only
   * after {@link #release()}. The bytes are the ones hashed; changing them changes only what the
   * caller does with them, never the stream's verification.
   */
  public static final class Chunk {
    private final Lending.Loan loan;

    private Chunk(Lending.Loan loan) {
      this.loan = loan;
    }

    /**
     * Returns the buffer holding the chunk.
     *
     * @return the array (not a copy)
     */
    public byte[] array() {
      return loan.array();
    }

    /**
     * Returns where the chunk starts in {@link #array()}.
     *
     * @return the index of its first byte
     */
    public int offset() {
      return loan.offset();
    }

    /**
     * Returns the chunk's length.
     *
     * @return at least 1
     */
    public int length() {
      return loan.length();
    }

    /** Hands the buffer back to the transport; later calls do nothing. Safe from any thread. */
    public void release() {
      loan.release();
    }
  }

  private EdgeException endedEarly() {
    return new EdgeException(ErrorCode.IO_ERROR, "the repository ended target " + name + " after " + position
        + " of its " + length + " bytes", "retry; the install continues from its last checkpoint");
  }

  /**
   * Reads what is left of the target, discarding it, and verifies the whole target. Call it after
   * a consumer (a decompressor) stopped before the end.
   *
   * @throws RepositoryRefusedException {@link Refusal#SUBSTITUTED_TARGET} if a hash does not match,
   *     {@link Refusal#ENDLESS_DATA} if the repository sends more than the declared length
   * @throws IOException if the transfer fails
   */
  public void finish() throws IOException {
    byte[] sink = new byte[CHUNK];
    while (read(sink, 0, sink.length) >= 0) {
      // discard: the consumer is done with these bytes, but the hashes cover them
    }
  }

  private void verifyEnd() throws IOException {
    if (verified) {
      return;
    }
    if (in.read() >= 0) {
      throw new RepositoryRefusedException(Refusal.ENDLESS_DATA, "target " + name
          + " continues past the " + length + " bytes the metadata lists");
    }
    for (Map.Entry<String, MessageDigest> e : fast.entrySet()) {
      check(e.getKey(), HexFormat.of().formatHex(e.getValue().digest()));
    }
    for (Map.Entry<String, Memoable> e : digests.entrySet()) {
      org.bouncycastle.crypto.Digest d = (org.bouncycastle.crypto.Digest) e.getValue().copy();
      byte[] out = new byte[d.getDigestSize()];
      d.doFinal(out, 0);
      check(e.getKey(), HexFormat.of().formatHex(out));
    }
    verified = true;
  }

  private void check(String alg, String actual) throws RepositoryRefusedException {
    if (!actual.equalsIgnoreCase(expected.get(alg))) {
      throw new RepositoryRefusedException(Refusal.SUBSTITUTED_TARGET, "target " + name + " has "
          + alg + " " + actual + " but the metadata lists " + expected.get(alg)
          + (replayed ? " (resumed: either the repository's bytes or the local copy of the first "
              + replayedBytes + " bytes differ)" : ""));
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
