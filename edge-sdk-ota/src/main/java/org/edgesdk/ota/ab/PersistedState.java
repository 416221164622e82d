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
 * transition (temporary file, fsync, rename, directory fsync). Format version 2 (version 1, without
 * the install checkpoint and the deferral, is still read).
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
  /** Bytes of the slot durably written (fsynced) so far: the written offset of the checkpoint. */
  long offset;
  /** Bytes of the target fetched and hashed at the checkpoint (0: no checkpoint). */
  long fetched;
  /** The target's hash states at the checkpoint, per TUF algorithm (opaque hex). */
  Map<String, String> fetchedHashes = Map.of();
  /**
   * The checkpoint intervals of the slot, forced and read back, with the CRC32C of the bytes handed
   * to the slot in each: a resume reads them back and checks them first. Empty: no checkpoint.
   */
  java.util.List<SlotSink.Region> regions = java.util.List.of();
  /** A target the application deferred, and until when. */
  @Nullable String deferredTarget;
  java.time.@Nullable Instant deferredUntil;
  /** SHA-256 of the whole image written to the slot, known once writing finished. */
  @Nullable String imageSha256;
  long imageLength = -1;
  boolean activated;
  final TreeSet<String> failed = new TreeSet<>();
  final Map<String, String> slotState = new LinkedHashMap<>();
  final Map<String, String> slotVersion = new LinkedHashMap<>();

  /** Forgets the install's progress: the next write starts at byte 0 of the target and slot. */
  void clearProgress() {
    offset = 0;
    fetched = 0;
    fetchedHashes = Map.of();
    regions = java.util.List.of();
    imageSha256 = null;
    imageLength = -1;
  }

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
    int format = n.path("format").asInt();
    if (format != 1 && format != 2) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, file + ": expected format 1 or 2 but found " + n.path("format"),
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
    JsonNode cp = n.path("checkpoint");
    if (cp.isObject()) { // format 2; a format 1 install restarts from byte 0
      s.fetched = cp.path("fetched").asLong();
      Map<String, String> hashes = new java.util.TreeMap<>();
      for (Map.Entry<String, JsonNode> e : cp.path("targetHashStates").properties()) {
        hashes.put(e.getKey(), e.getValue().asText());
      }
      s.fetchedHashes = Map.copyOf(hashes);
      // a checkpoint of an earlier format 2 (a slot SHA-256 state, no regions; or regions with a
      // CRC32C of their bytes, "crc32c", instead of their blocks' CRC32Cs) is dropped: start over
      java.util.List<SlotSink.Region> regions = new java.util.ArrayList<>();
      for (JsonNode r : cp.path("regions")) {
        try {
          regions.add(new SlotSink.Region(r.path("end").asLong(),
              Integer.parseUnsignedInt(r.path("blocksCrc32c").asText(), 16)));
        } catch (NumberFormatException e) { // damaged: start over rather than fail forever
          regions = java.util.List.of();
          break;
        }
      }
      s.regions = java.util.List.copyOf(regions);
    }
    s.deferredTarget = str(n, "deferredTarget");
    String until = str(n, "deferredUntil");
    try {
      s.deferredUntil = until == null ? null : java.time.Instant.parse(until);
    } catch (java.time.format.DateTimeParseException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, file + ": deferredUntil '" + until + "' is not an instant",
          "restore the file or remove the field", e);
    }
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
    n.put("format", 2);
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
    if (fetched > 0 && !regions.isEmpty()) {
      ObjectNode cp = n.putObject("checkpoint");
      cp.put("fetched", fetched);
      ObjectNode hs = cp.putObject("targetHashStates");
      new java.util.TreeMap<>(fetchedHashes).forEach(hs::put);
      com.fasterxml.jackson.databind.node.ArrayNode rs = cp.putArray("regions");
      for (SlotSink.Region r : regions) {
        rs.addObject().put("end", r.end()).put("blocksCrc32c", String.format("%08x", r.crc32c()));
      }
    }
    if (deferredTarget != null && deferredUntil != null) {
      n.put("deferredTarget", deferredTarget);
      n.put("deferredUntil", deferredUntil.toString());
    }
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
