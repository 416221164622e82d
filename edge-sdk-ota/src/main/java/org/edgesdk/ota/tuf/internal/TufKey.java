package org.edgesdk.ota.tuf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.edgesdk.ota.tuf.KeyType;
import org.jspecify.annotations.Nullable;

/**
 * A public key as TUF metadata lists it. A key of a type this client does not support is kept (a
 * newer root may list one) but verifies nothing, and says why.
 *
 * @param keytype the {@code keytype} field
 * @param scheme the {@code scheme} field
 * @param publicValue the {@code keyval.public} field
 * @param type the supported type, or null
 * @param key the decoded key, or null when the type is unsupported or the value does not decode
 * @param problem why the key cannot verify, or null when it can
 */
public record TufKey(
    String keytype,
    String scheme,
    String publicValue,
    @Nullable KeyType type,
    @Nullable PublicKey key,
    @Nullable String problem) {

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow. */
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  /**
   * Decodes a key from its metadata fields.
   *
   * @param keytype the {@code keytype} field
   * @param scheme the {@code scheme} field
   * @param publicValue the {@code keyval.public} field
   * @return the key; never fails, an undecodable key carries its {@link #problem()}
   */
  public static TufKey of(String keytype, String scheme, String publicValue) {
    Optional<KeyType> type = KeyType.of(keytype, scheme);
    if (type.isEmpty()) {
      return new TufKey(keytype, scheme, publicValue, null, null,
          "unsupported key type '" + keytype + "' with scheme '" + scheme
              + "' (supported: ed25519/ed25519, ecdsa/ecdsa-sha2-nistp256, rsa/rsassa-pss-sha256)");
    }
    try {
      PublicKey key = decode(type.get(), publicValue);
      return new TufKey(keytype, scheme, publicValue, type.get(), key, null);
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      return new TufKey(keytype, scheme, publicValue, type.get(), null,
          "the " + keytype + " public key does not decode (" + e.getMessage() + ")");
    }
  }

  /**
   * Wraps a generated public key.
   *
   * @param type its type
   * @param key the key
   * @return the metadata key
   */
  public static TufKey of(KeyType type, PublicKey key) {
    return new TufKey(type.keytype(), type.scheme(), encode(type, key), type, key, null);
  }

  private static PublicKey decode(KeyType type, String value)
      throws GeneralSecurityException, IOException {
    return switch (type) {
      case ED25519 -> {
        byte[] raw = HexFormat.of().parseHex(value);
        if (raw.length != 32) {
          throw new IllegalArgumentException("expected 32 bytes, got " + raw.length);
        }
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
        yield KeyFactory.getInstance("Ed25519", Crypto.BC).generatePublic(new X509EncodedKeySpec(spki));
      }
      case ECDSA_P256 -> {
        PublicKey key = KeyFactory.getInstance("EC", Crypto.BC)
            .generatePublic(new X509EncodedKeySpec(pem(value, "PUBLIC KEY")));
        if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
          throw new IllegalArgumentException("not a NIST P-256 key");
        }
        yield key;
      }
      case RSA_PSS_SHA256 -> {
        PublicKey key = KeyFactory.getInstance("RSA", Crypto.BC)
            .generatePublic(new X509EncodedKeySpec(pem(value, "PUBLIC KEY")));
        if (((RSAPublicKey) key).getModulus().bitLength() < 2048) {
          throw new IllegalArgumentException("RSA keys below 2048 bits are refused");
        }
        yield key;
      }
    };
  }

  static String encode(KeyType type, PublicKey key) {
    byte[] spki = key.getEncoded();
    if (type == KeyType.ED25519) {
      return HexFormat.of().formatHex(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }
    return pemString("PUBLIC KEY", spki);
  }

  /**
   * Decodes the DER content of a PEM block of the given type.
   *
   * @param text the PEM text
   * @param expectedType for example {@code PUBLIC KEY}
   * @return the DER bytes
   * @throws IOException if the text holds no such block
   */
  public static byte[] pem(String text, String expectedType) throws IOException {
    try (PemReader reader = new PemReader(new StringReader(text))) {
      PemObject object = reader.readPemObject();
      if (object == null || !expectedType.equals(object.getType())) {
        throw new IOException("expected a PEM '" + expectedType + "' block");
      }
      return object.getContent();
    }
  }

  /**
   * Encodes DER bytes as a PEM block.
   *
   * @param type for example {@code PUBLIC KEY}
   * @param der the content
   * @return the PEM text, ending with a line break
   */
  public static String pemString(String type, byte[] der) {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  /**
   * Returns the key as metadata lists it: {@code {"keytype", "scheme", "keyval": {"public"}}}.
   *
   * @return a new object node
   */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("keytype", keytype);
    node.put("scheme", scheme);
    node.putObject("keyval").put("public", publicValue);
    return node;
  }

  /**
   * Returns the key id: the hex SHA-256 of the canonical JSON of {@link #toJson()}.
   *
   * @return 64 hex digits
   */
  public String keyId() {
    return Crypto.sha256Hex(CanonicalJson.encode(toJson()));
  }

  /**
   * Verifies a signature over the bytes.
   *
   * @param data the signed bytes (canonical JSON)
   * @param signature the signature bytes
   * @return whether the signature is valid; {@code false} for a key that cannot verify
   */
  public boolean verify(byte[] data, byte[] signature) {
    if (key == null || type == null) {
      return false;
    }
    try {
      return switch (type) {
        case ED25519 -> check("Ed25519", null, data, signature);
        case ECDSA_P256 -> check("SHA256withECDSA", null, data, signature);
        case RSA_PSS_SHA256 -> {
          // securesystemslib signs with a salt as long as the digest; other signers use the
          // maximum salt length. Verification accepts both, as "auto" salt detection does.
          int maxSalt = (((RSAPublicKey) key).getModulus().bitLength() + 7) / 8 - 32 - 2;
          yield check("SHA256withRSAandMGF1", pss(32), data, signature)
              || check("SHA256withRSAandMGF1", pss(maxSalt), data, signature);
        }
      };
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static PSSParameterSpec pss(int saltLength) {
    return new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, saltLength, 1);
  }

  private boolean check(String algorithm, @Nullable PSSParameterSpec params, byte[] data, byte[] sig)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(algorithm, Crypto.BC);
    if (params != null) {
      verifier.setParameter(params);
    }
    verifier.initVerify(key);
    verifier.update(data);
    return verifier.verify(sig);
  }

  /**
   * Reads a key from its metadata object.
   *
   * @param node the key object
   * @param where where the key sits, for error messages
   * @return the key
   */
  public static TufKey fromJson(JsonNode node, String where) {
    Fields f = new Fields(node, where);
    JsonNode keyval = f.object("keyval");
    return of(f.text("keytype"), f.text("scheme"), new Fields(keyval, where + ".keyval").text("public"));
  }
}
