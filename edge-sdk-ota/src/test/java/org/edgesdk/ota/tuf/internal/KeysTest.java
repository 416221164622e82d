package org.edgesdk.ota.tuf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.edgesdk.ota.tuf.KeyType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KeysTest {
  private static final byte[] DATA = "{\"signed\":1}".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void signAndVerify_eachKeyType_roundTripsThroughMetadataAndPem(KeyType type) throws IOException {
    SigningKey key = SigningKey.generate(type);
    byte[] sig = key.sign(DATA);

    TufKey fromMetadata = TufKey.of(type.keytype(), type.scheme(), key.publicKey().publicValue());
    assertNull(fromMetadata.problem());
    assertTrue(fromMetadata.verify(DATA, sig));
    assertFalse(fromMetadata.verify("{\"signed\":2}".getBytes(StandardCharsets.UTF_8), sig));
    assertEquals(key.keyId(), fromMetadata.keyId());

    SigningKey reread = SigningKey.fromPem(key.toPem(), type);
    assertTrue(fromMetadata.verify(DATA, reread.sign(DATA)));
    assertTrue(key.toPem().startsWith("-----BEGIN PRIVATE KEY-----"));
  }

  @Test
  void ed25519_publicValue_isRawHex() {
    String value = SigningKey.generate(KeyType.ED25519).publicKey().publicValue();
    assertTrue(value.matches("[0-9a-f]{64}"), value);
  }

  @Test
  void ecdsa_olderKeytypeName_accepted() {
    String pem = SigningKey.generate(KeyType.ECDSA_P256).publicKey().publicValue();
    assertNull(TufKey.of("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", pem).problem());
  }

  @Test
  void unknownKeyType_keptWithAClearProblem_verifiesNothing() {
    TufKey key = TufKey.of("sphincs", "sphincs-shake-256", "00");
    assertNotNull(key.problem());
    assertTrue(key.problem().contains("unsupported key type 'sphincs'"), key.problem());
    assertFalse(key.verify(DATA, new byte[64]));
  }

  @Test
  void undecodableKey_problemNamesTheType() {
    TufKey key = TufKey.of("ed25519", "ed25519", "zz");
    assertTrue(key.problem().contains("does not decode"), key.problem());
  }

  @Test
  void pathPattern_starDoesNotCrossSlash() {
    assertTrue(Metadata.DelegatedRole.pathMatches("apps/*.img", "apps/cam.img"));
    assertFalse(Metadata.DelegatedRole.pathMatches("apps/*.img", "apps/x/cam.img"));
    assertTrue(Metadata.DelegatedRole.pathMatches("*/*", "a/b"));
    assertFalse(Metadata.DelegatedRole.pathMatches("apps/?.img", "apps/ab.img"));
    assertTrue(Metadata.DelegatedRole.pathMatches("a.(b)/[c]", "a.(b)/[c]"));
  }
}
