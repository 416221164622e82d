package org.edgesdk.ota.tuf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.edgesdk.ota.tuf.Refusal;
import org.edgesdk.ota.tuf.RepositoryRefusedException;

/**
 * Typed, strict access to the fields of one JSON object: a missing field, a wrong type or an
 * out-of-range number is {@link Refusal#MALFORMED_METADATA} naming the field and what it holds.
 */
public final class Fields {
  private static final Pattern EXPIRES = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final JsonNode node;
  private final String where;

  /**
   * Wraps an object node.
   *
   * @param node the node, which must be an object
   * @param where its location for error messages, for example {@code "timestamp.json signed"}
   */
  public Fields(JsonNode node, String where) {
    this.where = where;
    if (!node.isObject()) {
      throw malformed(where + " must be a JSON object but is " + describe(node));
    }
    this.node = node;
  }

  static RepositoryRefusedException malformed(String detail) {
    return new RepositoryRefusedException(Refusal.MALFORMED_METADATA, detail);
  }

  static String describe(JsonNode n) {
    String text = n.toString();
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " "
        + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }

  private JsonNode required(String name) {
    JsonNode value = node.get(name);
    if (value == null) {
      throw malformed(where + " lacks the field '" + name + "'");
    }
    return value;
  }

  /** Returns whether the field is present. */
  boolean has(String name) {
    return node.has(name);
  }

  /** A required string field. */
  public String text(String name) {
    JsonNode v = required(name);
    if (!v.isTextual()) {
      throw malformed(where + "." + name + " must be a string but is " + describe(v));
    }
    return v.textValue();
  }

  /** A required boolean field. */
  boolean bool(String name) {
    JsonNode v = required(name);
    if (!v.isBoolean()) {
      throw malformed(where + "." + name + " must be true or false but is " + describe(v));
    }
    return v.booleanValue();
  }

  /** An optional boolean field. */
  boolean bool(String name, boolean absent) {
    return has(name) ? bool(name) : absent;
  }

  /** A required integer field between {@code min} and {@link Long#MAX_VALUE}. */
  long integer(String name, long min) {
    return integerValue(required(name), where + "." + name, min);
  }

  static long integerValue(JsonNode v, String what, long min) {
    if (!v.isIntegralNumber()) {
      throw malformed(what + " must be an integer but is " + describe(v));
    }
    BigInteger value = v.bigIntegerValue();
    if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(LONG_MAX) > 0) {
      throw malformed(what + " must be between " + min + " and " + Long.MAX_VALUE + " but is " + value);
    }
    return value.longValueExact();
  }

  /** A required object field. */
  public JsonNode object(String name) {
    JsonNode v = required(name);
    if (!v.isObject()) {
      throw malformed(where + "." + name + " must be an object but is " + describe(v));
    }
    return v;
  }

  /** An optional object field. */
  Optional<JsonNode> optionalObject(String name) {
    return has(name) ? Optional.of(object(name)) : Optional.empty();
  }

  /** A required array field. */
  JsonNode array(String name) {
    JsonNode v = required(name);
    if (!v.isArray()) {
      throw malformed(where + "." + name + " must be an array but is " + describe(v));
    }
    return v;
  }

  /** A required array of strings. */
  List<String> texts(String name) {
    JsonNode array = array(name);
    List<String> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode v = array.get(i);
      if (!v.isTextual()) {
        throw malformed(where + "." + name + "[" + i + "] must be a string but is " + describe(v));
      }
      values.add(v.textValue());
    }
    return List.copyOf(values);
  }

  /**
   * A required expiry time in the form {@code YYYY-MM-DDTHH:MM:SSZ}; fractional seconds, which
   * JavaScript's {@code toISOString()} writes (tuf-js repositories), are accepted too.
   */
  Instant expires(String name) {
    String text = text(name);
    if (!EXPIRES.matcher(text).matches()) {
      throw malformed(where + "." + name + " must be YYYY-MM-DDTHH:MM:SSZ but is '" + text + "'");
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw malformed(where + "." + name + " is not a valid time: '" + text + "'");
    }
  }

  /** Where this object sits, for error messages. */
  String where() {
    return where;
  }

  /** The wrapped node. */
  JsonNode node() {
    return node;
  }
}
