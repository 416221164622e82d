package org.edgesdk.ota.tuf.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The BouncyCastle provider instance (not registered globally) and hash helpers. */
public final class Crypto {
  /** The provider every key, signature and digest of this module uses. */
  public static final Provider BC = new BouncyCastleProvider();

  private Crypto() {}

  /**
   * Returns a digest for a TUF hash algorithm name.
   *
   * @param tufName {@code sha256}, {@code sha384} or {@code sha512}
   * @return the digest, or empty for an algorithm this client does not support
   */
  public static Optional<MessageDigest> digest(String tufName) {
    String jca =
        switch (tufName.toLowerCase(Locale.ROOT)) {
          case "sha256" -> "SHA-256";
          case "sha384" -> "SHA-384";
          case "sha512" -> "SHA-512";
          default -> null;
        };
    if (jca == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(MessageDigest.getInstance(jca, BC));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("BouncyCastle lacks " + jca, e);
    }
  }

  /**
   * Returns the lower-case hex SHA-256 of the bytes.
   *
   * @param bytes the input
   * @return 64 hex digits
   */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest("sha256").orElseThrow().digest(bytes));
  }
}
