package org.edgesdk.ota.tuf;

import java.util.Locale;
import java.util.Optional;

/** The key types and signature schemes this client verifies, as TUF metadata names them. */
public enum KeyType {
  /** Ed25519; the public value is 64 hex digits of the raw key. */
  ED25519("ed25519", "ed25519"),
  /** ECDSA over NIST P-256 with SHA-256; the public value is a PEM SubjectPublicKeyInfo. */
  ECDSA_P256("ecdsa", "ecdsa-sha2-nistp256"),
  /** RSA-PSS with SHA-256 and MGF1-SHA-256; the public value is a PEM SubjectPublicKeyInfo. */
  RSA_PSS_SHA256("rsa", "rsassa-pss-sha256");

  private final String keytype;
  private final String scheme;

  KeyType(String keytype, String scheme) {
    this.keytype = keytype;
    this.scheme = scheme;
  }

  /**
   * Returns the {@code keytype} field this type is written with.
   *
   * @return the key type name
   */
  public String keytype() {
    return keytype;
  }

  /**
   * Returns the {@code scheme} field.
   *
   * @return the scheme name
   */
  public String scheme() {
    return scheme;
  }

  /**
   * Returns the type of a key's {@code keytype} and {@code scheme} fields. {@code
   * ecdsa-sha2-nistp256} is accepted as a key type too (older securesystemslib wrote it).
   *
   * @param keytype the key type field
   * @param scheme the scheme field
   * @return the type, or empty if the pair is not supported
   */
  public static Optional<KeyType> of(String keytype, String scheme) {
    for (KeyType t : values()) {
      boolean typeMatches =
          t.keytype.equals(keytype) || (t == ECDSA_P256 && "ecdsa-sha2-nistp256".equals(keytype));
      if (typeMatches && t.scheme.equals(scheme)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the type for a command-line name: {@code ed25519}, {@code ecdsa} or {@code rsa}.
   *
   * @param name the name
   * @return the type
   * @throws IllegalArgumentException for any other name
   */
  public static KeyType fromName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "ed25519" -> ED25519;
      case "ecdsa", "ecdsa-sha2-nistp256" -> ECDSA_P256;
      case "rsa", "rsassa-pss-sha256" -> RSA_PSS_SHA256;
      default -> throw new IllegalArgumentException(
          "unknown key type '" + name + "' (known: ed25519, ecdsa, rsa)");
    };
  }
}
