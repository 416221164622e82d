package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;

/**
 * JSON output of {@code edgectl --json}. Documents are built field by field, not by reflection, so
 * the field names are a stable, documented contract that no refactoring can change by accident.
 */
final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Puts an available string, or null with the reason under {@code unavailable.<field>}. */
  static void putText(ObjectNode node, String field, Availability<String> value, ObjectNode unavailable) {
    if (value instanceof Availability.Unavailable<String> u) {
      node.putNull(field);
      unavailable.put(field, u.reason());
    } else {
      node.put(field, value.orElseThrow());
    }
  }

  /** Puts a CPU set as an array of CPU numbers, or null with the reason. */
  static void putCpus(ObjectNode node, String field, Availability<CpuSet> value, ObjectNode unavailable) {
    if (value instanceof Availability.Unavailable<CpuSet> u) {
      node.putNull(field);
      unavailable.put(field, u.reason());
    } else {
      ArrayNode array = node.putArray(field);
      value.orElseThrow().stream().forEach(array::add);
    }
  }

  static void print(PrintWriter out, ObjectNode document) {
    try {
      out.println(MAPPER.writeValueAsString(document));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
