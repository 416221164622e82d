package org.edgesdk.ota.tuf.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.edgesdk.ota.tuf.Refusal;
import org.edgesdk.ota.tuf.RepositoryRefusedException;

/** The one strict JSON reader and the pretty writer of TUF metadata. */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxNumberLength(40)
                          .maxStringLength(1 << 20)
                          .build())
                  .build())
          // Two values for one key would let two parsers see two different documents.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private Json() {}

  /**
   * Parses one JSON document.
   *
   * @param bytes the UTF-8 document
   * @param what the file name, for the error message
   * @return the tree
   * @throws RepositoryRefusedException {@link Refusal#MALFORMED_METADATA} if it is not one valid
   *     JSON document
   */
  public static JsonNode parse(byte[] bytes, String what) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new RepositoryRefusedException(Refusal.MALFORMED_METADATA, what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RepositoryRefusedException(
          Refusal.MALFORMED_METADATA,
          what + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a new empty object node.
   *
   * @return the node
   */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Writes a tree as indented UTF-8 JSON, the form the publisher stores.
   *
   * @param node the tree
   * @return the bytes
   */
  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
