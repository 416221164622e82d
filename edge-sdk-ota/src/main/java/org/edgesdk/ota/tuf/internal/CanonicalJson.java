package org.edgesdk.ota.tuf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * OLPC canonical JSON, as securesystemslib and tuf-js produce it: object keys sorted by code point,
 * no insignificant whitespace, strings escaped only for {@code "} and {@code \}, integers only (no
 * floating-point numbers), UTF-8. This is the byte string TUF signatures cover.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /**
   * Encodes a JSON tree canonically.
   *
   * @param node the tree
   * @return the UTF-8 bytes
   * @throws IllegalArgumentException if the tree holds a floating-point number or a binary node
   */
  public static byte[] encode(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.length() + 16);
    byte[] utf8 = out.toString().getBytes(StandardCharsets.UTF_8);
    bytes.write(utf8, 0, utf8.length);
    return bytes.toByteArray();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(CanonicalJson::compareCodePoints);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          string(names.get(i), out);
          out.append(':');
          write(node.get(names.get(i)), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new IllegalArgumentException(
              "canonical JSON allows integers only, not the number " + node.asText());
        }
        out.append(node.bigIntegerValue().toString());
      }
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException(
          "canonical JSON cannot encode a " + node.getNodeType() + " node");
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    out.append('"');
  }

  /** Orders strings by Unicode code point, as Python's and JavaScript's canonicalizers do. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
