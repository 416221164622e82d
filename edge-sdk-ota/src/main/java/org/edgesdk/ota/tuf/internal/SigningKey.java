package org.edgesdk.ota.tuf.internal;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.edgesdk.ota.tuf.KeyType;

/**
 * A private signing key with its public half. Stored as one PEM file: a PKCS#8 {@code PRIVATE KEY}
 * block followed by its {@code PUBLIC KEY} block.
 *
 * @param type the key type
 * @param privateKey the private key
 * @param publicKey the public key as metadata lists it
 */
public record SigningKey(KeyType type, PrivateKey privateKey, TufKey publicKey) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Generates a new key.
   *
   * @param type the key type
   * @return the key
   */
  public static SigningKey generate(KeyType type) {
    try {
      KeyPairGenerator generator;
      switch (type) {
        case ED25519 -> generator = KeyPairGenerator.getInstance("Ed25519", Crypto.BC);
        case ECDSA_P256 -> {
          generator = KeyPairGenerator.getInstance("EC", Crypto.BC);
          generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        }
        default -> {
          generator = KeyPairGenerator.getInstance("RSA", Crypto.BC);
          generator.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), RANDOM);
        }
      }
      KeyPair pair = generator.generateKeyPair();
      return new SigningKey(type, pair.getPrivate(), TufKey.of(type, pair.getPublic()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("BouncyCastle cannot generate a " + type + " key", e);
    }
  }

  /**
   * Returns the key's id.
   *
   * @return the key id
   */
  public String keyId() {
    return publicKey.keyId();
  }

  /**
   * Signs bytes with the key's scheme.
   *
   * @param data the bytes (canonical JSON)
   * @return the signature
   */
  public byte[] sign(byte[] data) {
    try {
      Signature signer;
      switch (type) {
        case ED25519 -> signer = Signature.getInstance("Ed25519", Crypto.BC);
        case ECDSA_P256 -> signer = Signature.getInstance("SHA256withECDSA", Crypto.BC);
        default -> {
          signer = Signature.getInstance("SHA256withRSAandMGF1", Crypto.BC);
          signer.setParameter(TufKey.pss(32));
        }
      }
      signer.initSign(privateKey, RANDOM);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the " + type + " key " + keyId(), e);
    }
  }

  /**
   * Returns the key file's text.
   *
   * @return the PEM text: private block, then public block
   */
  public String toPem() {
    PublicKey pub = java.util.Objects.requireNonNull(publicKey.key());
    return TufKey.pemString("PRIVATE KEY", privateKey.getEncoded()) + TufKey.pemString("PUBLIC KEY", pub.getEncoded());
  }

  /**
   * Reads a key file written by {@link #toPem()}.
   *
   * @param pem the file's text
   * @param type the key type
   * @return the key
   * @throws IOException if the text does not hold both blocks of a key of that type
   */
  public static SigningKey fromPem(String pem, KeyType type) throws IOException {
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      PemObject privateBlock = reader.readPemObject();
      PemObject publicBlock = reader.readPemObject();
      if (privateBlock == null || publicBlock == null || !"PRIVATE KEY".equals(privateBlock.getType())
          || !"PUBLIC KEY".equals(publicBlock.getType())) {
        throw new IOException("expected a PEM 'PRIVATE KEY' block followed by a 'PUBLIC KEY' block");
      }
      String algorithm = switch (type) {
        case ED25519 -> "Ed25519";
        case ECDSA_P256 -> "EC";
        case RSA_PSS_SHA256 -> "RSA";
      };
      KeyFactory factory = KeyFactory.getInstance(algorithm, Crypto.BC);
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(privateBlock.getContent()));
      PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(publicBlock.getContent()));
      return new SigningKey(type, privateKey, TufKey.of(type, publicKey));
    } catch (GeneralSecurityException e) {
      throw new IOException("not a " + type + " key: " + e.getMessage(), e);
    }
  }
}
