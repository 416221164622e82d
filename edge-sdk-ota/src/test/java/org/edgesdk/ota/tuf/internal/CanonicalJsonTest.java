package org.edgesdk.ota.tuf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  private static String canonical(String json) {
    return new String(CanonicalJson.encode(Json.parse(json.getBytes(StandardCharsets.UTF_8), "test")),
        StandardCharsets.UTF_8);
  }

  @Test
  void encode_sortsKeys_dropsWhitespace() {
    assertEquals("{\"a\":[1,true,false,null],\"b\":{\"c\":\"x\",\"d\":2}}",
        canonical("{ \"b\": {\"d\": 2, \"c\": \"x\"},\n  \"a\": [1, true, false, null] }"));
  }

  @Test
  void encode_escapesOnlyQuoteAndBackslash_keepsOtherCharactersRaw() {
    // OLPC: control characters and non-ASCII are written as they are, in UTF-8.
    assertEquals("{\"k\":\"a\\\"b\\\\c\nd\u00e9\u2603\"}", canonical("{\"k\": \"a\\\"b\\\\c\\nd\\u00e9\u2603\"}"));
  }

  @Test
  void encode_ordersKeysByCodePoint() {
    // securesystemslib (Python) sorts by code point: U+FF5E before U+1F600. (A UTF-16 sort, as
    // JavaScript's default, would put the emoji's surrogate pair first.)
    assertEquals("{\"B\":1,\"a\":2,\"\u00e9\":3,\"\uff5e\":5,\"\ud83d\ude00\":4}",
        canonical("{\"\uff5e\":5,\"\ud83d\ude00\":4,\"\u00e9\":3,\"a\":2,\"B\":1}"));
  }

  @Test
  void encode_keepsLargeIntegersExact() {
    assertEquals("{\"n\":123456789012345678901234567890}", canonical("{\"n\": 123456789012345678901234567890}"));
  }

  @Test
  void encode_floatingPointNumber_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> canonical("{\"n\": 1.5}"));
    assertTrue(e.getMessage().contains("integers only"), e.getMessage());
  }

  @Test
  void encode_sameAsSecuresystemslibForAKey() {
    // securesystemslib's key id is sha256 over exactly this canonical form of the key dict.
    String key = "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"ab\"},\"scheme\":\"ed25519\"}";
    assertEquals(key, canonical("{\"scheme\":\"ed25519\",\"keyval\":{\"public\":\"ab\"},\"keytype\":\"ed25519\"}"));
  }
}
