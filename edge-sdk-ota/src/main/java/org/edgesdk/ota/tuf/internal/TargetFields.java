package org.edgesdk.ota.tuf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.edgesdk.api.ota.Compression;
import org.edgesdk.api.ota.TargetDescription;
import org.jspecify.annotations.Nullable;

/**
 * The update fields of a target, kept in its {@code custom} object under {@code edgesdk}:
 * {@code releaseVersion}, {@code hardware}, {@code slotClass}, {@code compression},
 * {@code securityVersion}. Other custom fields are left alone.
 */
public final class TargetFields {
  /** The key of the SDK's object inside {@code custom}. */
  public static final String NAMESPACE = "edgesdk";

  private TargetFields() {}

  /**
   * Describes a target from its metadata entry.
   *
   * @param path the target path
   * @param length its length
   * @param hashes its hashes
   * @param custom the {@code custom} object, or null
   * @return the description
   * @throws org.edgesdk.ota.tuf.RepositoryRefusedException {@code MALFORMED_METADATA} for fields
   *     of the wrong type
   */
  public static TargetDescription describe(String path, long length, Map<String, String> hashes,
      @Nullable JsonNode custom) {
    JsonNode ours = custom == null ? null : custom.get(NAMESPACE);
    if (ours == null) {
      return new TargetDescription(path, length, hashes, Optional.empty(), Set.of(), Optional.empty(),
          Compression.NONE, 0);
    }
    Fields f = new Fields(ours, "target " + path + " custom." + NAMESPACE);
    Optional<String> release = f.has("releaseVersion") ? Optional.of(f.text("releaseVersion")) : Optional.empty();
    Set<String> hardware = f.has("hardware") ? new LinkedHashSet<>(f.texts("hardware")) : Set.of();
    Optional<String> slot = f.has("slotClass") ? Optional.of(f.text("slotClass")) : Optional.empty();
    Compression compression = Compression.NONE;
    if (f.has("compression")) {
      try {
        compression = Compression.fromMetadataName(f.text("compression"));
      } catch (IllegalArgumentException e) {
        throw Fields.malformed("target " + path + ": " + e.getMessage());
      }
    }
    long security = f.has("securityVersion") ? f.integer("securityVersion", 0) : 0;
    return new TargetDescription(path, length, hashes, release, hardware, slot, compression, security);
  }

  /**
   * Writes a description's update fields into a {@code custom} object.
   *
   * @param target the description
   * @return the {@code custom} object, holding only the SDK's namespace
   */
  public static ObjectNode custom(TargetDescription target) {
    ObjectNode custom = Json.object();
    ObjectNode ours = custom.putObject(NAMESPACE);
    target.releaseVersion().ifPresent(v -> ours.put("releaseVersion", v));
    if (!target.hardware().isEmpty()) {
      ArrayNode hw = ours.putArray("hardware");
      target.hardware().stream().sorted().forEach(hw::add);
    }
    target.slotClass().ifPresent(v -> ours.put("slotClass", v));
    ours.put("compression", target.compression().metadataName());
    ours.put("securityVersion", target.securityVersion());
    return custom;
  }
}
