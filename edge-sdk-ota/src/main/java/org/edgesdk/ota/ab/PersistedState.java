package org.edgesdk.ota.ab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.tuf.internal.AtomicFiles;
import org.jspecify.annotations.Nullable;

/**
 * The update state machine's durable record, {@code update-state.json}, replaced atomically on every
 * transition (temporary file, fsync, rename, directory fsync). Format version 1.
 */
final class PersistedState {
  static final String FILE = "update-state.json";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  UpdateState state = UpdateState.IDLE;
  @Nullable String target;
  @Nullable String version;
  long securityVersion;
  @Nullable String slot;
  @Nullable String from;
  /** Bytes of the slot durably written (fsynced) so far. */
  long offset;
  /** SHA-256 of the whole image written to the slot, known once writing finished. */
  @Nullable String imageSha256;
  long imageLength = -1;
  boolean activated;
  final TreeSet<String> failed = new TreeSet<>();
  final Map<String, String> slotState = new LinkedHashMap<>();
  final Map<String, String> slotVersion = new LinkedHashMap<>();

  static PersistedState load(Path dir) {
    Path file = dir.resolve(FILE);
    PersistedState s = new PersistedState();
    JsonNode n;
    try {
      n = MAPPER.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return s;
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, file + " cannot be read as JSON: " + e.getMessage(),
          "restore it or remove it (the device then reports no update in progress)", e);
    }
    if (n.path("format").asInt() != 1) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, file + ": expected format 1 but found " + n.path("format"),
          "use an SDK version that knows this state format");
    }
    s.state = UpdateState.valueOf(n.path("state").asText());
    s.target = str(n, "target");
    s.version = str(n, "version");
    s.securityVersion = n.path("securityVersion").asLong();
    s.slot = str(n, "slot");
    s.from = str(n, "from");
    s.offset = n.path("offset").asLong();
    s.imageSha256 = str(n, "imageSha256");
    s.imageLength = n.path("imageLength").asLong(-1);
    s.activated = n.path("activated").asBoolean();
    n.path("failed").forEach(f -> s.failed.add(f.asText()));
    for (Map.Entry<String, JsonNode> e : n.path("slots").properties()) {
      s.slotState.put(e.getKey(), e.getValue().path("state").asText("unknown"));
      String v = str(e.getValue(), "version");
      if (v != null) {
        s.slotVersion.put(e.getKey(), v);
      }
    }
    return s;
  }

  private static @Nullable String str(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  void save(Path dir) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("format", 1);
    n.put("state", state.name());
    n.put("target", target);
    n.put("version", version);
    n.put("securityVersion", securityVersion);
    n.put("slot", slot);
    n.put("from", from);
    n.put("offset", offset);
    n.put("imageSha256", imageSha256);
    n.put("imageLength", imageLength);
    n.put("activated", activated);
    failed.forEach(n.putArray("failed")::add);
    ObjectNode slots = n.putObject("slots");
    java.util.Set<String> names = new java.util.LinkedHashSet<>(slotState.keySet());
    names.addAll(slotVersion.keySet());
    for (String name : names) {
      ObjectNode o = slots.putObject(name);
      o.put("state", slotState.getOrDefault(name, "unknown"));
      o.put("version", slotVersion.get(name));
    }
    try {
      AtomicFiles.write(dir.resolve(FILE), MAPPER.writeValueAsBytes(n));
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot write " + dir.resolve(FILE) + ": " + e.getMessage(),
          "check that the state directory is writable and has space", e);
    }
  }
}
