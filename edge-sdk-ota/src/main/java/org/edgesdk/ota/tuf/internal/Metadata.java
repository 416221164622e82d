package org.edgesdk.ota.tuf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One parsed, not yet verified, metadata file: the {@code signed} body of one role, its signatures
 * and the canonical bytes the signatures cover.
 *
 * @param role the parsed body
 * @param signatures the signatures, in file order (duplicates kept: the verifier counts unique keys)
 * @param canonicalSigned the canonical JSON of {@code signed}
 * @param bytes the file as received
 */
public record Metadata<T extends Metadata.Role>(
    T role, List<Signature> signatures, byte[] canonicalSigned, byte[] bytes) {

  /** The highest {@code spec_version} major this client understands. */
  static final int SPEC_MAJOR = 1;

  /** A signature: the key id and the raw signature bytes (null when its hex does not decode). */
  public record Signature(String keyId, byte @Nullable [] sig) {}

  /** The fields every role has. */
  public sealed interface Role permits Root, Timestamp, Snapshot, Targets {
    /** The role's {@code _type}. */
    String type();

    /** The metadata version, 1 or more. */
    long version();

    /** When the metadata expires. */
    Instant expires();
  }

  /** Key ids and threshold of one role. */
  public record RoleKeys(List<String> keyIds, int threshold) {}

  /** A metadata file's version, and optionally its length and hashes, as another role lists it. */
  public record MetaFile(long version, OptionalLong length, Map<String, String> hashes) {}

  /** The root role. */
  public record Root(
      long version,
      Instant expires,
      boolean consistentSnapshot,
      Map<String, TufKey> keys,
      Map<String, RoleKeys> roles)
      implements Role {
    @Override
    public String type() {
      return "root";
    }

    /** The keys and threshold of a top-level role. */
    public RoleKeys role(String name) {
      RoleKeys keys = roles.get(name);
      if (keys == null) {
        throw Fields.malformed("root version " + version + " does not define the role '" + name + "'");
      }
      return keys;
    }
  }

  /** The timestamp role. */
  public record Timestamp(long version, Instant expires, MetaFile snapshot) implements Role {
    @Override
    public String type() {
      return "timestamp";
    }
  }

  /** The snapshot role. */
  public record Snapshot(long version, Instant expires, Map<String, MetaFile> meta) implements Role {
    @Override
    public String type() {
      return "snapshot";
    }
  }

  /** One target file: its length, hashes and the raw {@code custom} object (or null). */
  public record TargetFile(String path, long length, Map<String, String> hashes, @Nullable JsonNode custom) {}

  /** A delegated targets role. */
  public record DelegatedRole(
      String name,
      List<String> keyIds,
      int threshold,
      boolean terminating,
      @Nullable List<String> paths,
      @Nullable List<String> pathHashPrefixes) {

    /** Whether the role is trusted for the target path (spec 5.6.7.1 / python-tuf semantics). */
    public boolean matches(String targetPath) {
      if (paths != null) {
        for (String pattern : paths) {
          if (pathMatches(pattern, targetPath)) {
            return true;
          }
        }
        return false;
      }
      if (pathHashPrefixes != null) {
        String hash = Crypto.sha256Hex(targetPath.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String prefix : pathHashPrefixes) {
          if (hash.startsWith(prefix)) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * Shell-style matching per path component: {@code *} and {@code ?} never cross a {@code /},
     * and pattern and path must have the same number of components.
     */
    static boolean pathMatches(String pattern, String path) {
      String[] patternParts = pattern.split("/", -1);
      String[] pathParts = path.split("/", -1);
      if (patternParts.length != pathParts.length) {
        return false;
      }
      for (int i = 0; i < patternParts.length; i++) {
        if (!glob(patternParts[i]).matcher(pathParts[i]).matches()) {
          return false;
        }
      }
      return true;
    }

    private static Pattern glob(String part) {
      StringBuilder regex = new StringBuilder();
      StringBuilder literal = new StringBuilder();
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (c == '*' || c == '?') {
          if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
          }
          regex.append(c == '*' ? ".*" : ".");
        } else {
          literal.append(c);
        }
      }
      if (literal.length() > 0) {
        regex.append(Pattern.quote(literal.toString()));
      }
      return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
  }

  /** The delegations of a targets role. */
  public record Delegations(Map<String, TufKey> keys, List<DelegatedRole> roles) {}

  /** A targets role, top-level or delegated. */
  public record Targets(
      long version,
      Instant expires,
      Map<String, TargetFile> targets,
      Optional<Delegations> delegations)
      implements Role {
    @Override
    public String type() {
      return "targets";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing

  /**
   * Parses a metadata file of the expected type.
   *
   * @param bytes the file
   * @param fileName its name, for error messages
   * @param type the class of the expected role
   * @return the parsed metadata
   * @throws org.edgesdk.ota.tuf.RepositoryRefusedException {@code MALFORMED_METADATA} for anything
   *     that is not valid metadata of that type
   */
  public static <T extends Role> Metadata<T> parse(byte[] bytes, String fileName, Class<T> type) {
    JsonNode tree = Json.parse(bytes, fileName);
    Fields top = new Fields(tree, fileName);
    JsonNode signed = top.object("signed");
    JsonNode sigs = top.array("signatures");
    List<Signature> signatures = new ArrayList<>();
    for (int i = 0; i < sigs.size(); i++) {
      Fields s = new Fields(sigs.get(i), fileName + " signatures[" + i + "]");
      byte[] sig;
      try {
        sig = HexFormat.of().parseHex(s.text("sig"));
      } catch (IllegalArgumentException e) {
        sig = null;
      }
      signatures.add(new Signature(s.text("keyid"), sig));
    }
    Fields f = new Fields(signed, fileName + " signed");
    String actualType = f.text("_type");
    String expectedType = typeName(type);
    if (!expectedType.equals(actualType)) {
      throw Fields.malformed(fileName + " has _type '" + actualType + "' but '" + expectedType + "' was expected");
    }
    String spec = f.text("spec_version");
    String[] parts = spec.split("\\.");
    if (parts.length < 2 || !parts[0].equals(String.valueOf(SPEC_MAJOR))) {
      throw Fields.malformed(fileName + " has spec_version '" + spec + "'; this client supports 1.x");
    }
    long version = f.integer("version", 1);
    Instant expires = f.expires("expires");
    Role role =
        switch (expectedType) {
          case "root" -> parseRoot(f, version, expires);
          case "timestamp" -> parseTimestamp(f, version, expires);
          case "snapshot" -> parseSnapshot(f, version, expires);
          default -> parseTargets(f, version, expires);
        };
    byte[] canonical;
    try {
      canonical = CanonicalJson.encode(signed);
    } catch (IllegalArgumentException e) {
      throw Fields.malformed(fileName + ": " + e.getMessage());
    }
    return new Metadata<>(type.cast(role), List.copyOf(signatures), canonical, bytes);
  }

  static String typeName(Class<? extends Role> type) {
    if (type == Root.class) {
      return "root";
    } else if (type == Timestamp.class) {
      return "timestamp";
    } else if (type == Snapshot.class) {
      return "snapshot";
    }
    return "targets";
  }

  private static Map<String, TufKey> keys(JsonNode keysNode, String where) {
    Map<String, TufKey> keys = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : keysNode.properties()) {
      keys.put(e.getKey(), TufKey.fromJson(e.getValue(), where + "." + e.getKey()));
    }
    return keys;
  }

  private static RoleKeys roleKeys(Fields f) {
    List<String> ids = f.texts("keyids");
    if (Set.copyOf(ids).size() != ids.size()) {
      throw Fields.malformed(f.where() + ".keyids lists a key id twice");
    }
    long threshold = f.integer("threshold", 1);
    if (threshold > Integer.MAX_VALUE) {
      throw Fields.malformed(f.where() + ".threshold is too large: " + threshold);
    }
    return new RoleKeys(ids, (int) threshold);
  }

  private static Root parseRoot(Fields f, long version, Instant expires) {
    boolean consistent = f.bool("consistent_snapshot", false);
    Map<String, TufKey> keys = keys(new Fields(f.object("keys"), f.where() + ".keys").node(), f.where() + ".keys");
    Fields roles = new Fields(f.object("roles"), f.where() + ".roles");
    Map<String, RoleKeys> roleMap = new LinkedHashMap<>();
    for (String name : List.of("root", "timestamp", "snapshot", "targets")) {
      roleMap.put(name, roleKeys(new Fields(roles.object(name), roles.where() + "." + name)));
    }
    return new Root(version, expires, consistent, Map.copyOf(keys), Map.copyOf(roleMap));
  }

  private static MetaFile metaFile(Fields f) {
    long version = f.integer("version", 1);
    OptionalLong length = f.has("length") ? OptionalLong.of(f.integer("length", 0)) : OptionalLong.empty();
    Map<String, String> hashes = f.has("hashes") ? hashes(new Fields(f.object("hashes"), f.where() + ".hashes")) : Map.of();
    return new MetaFile(version, length, hashes);
  }

  private static Map<String, String> hashes(Fields f) {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (Iterator<String> it = f.node().fieldNames(); it.hasNext(); ) {
      String algorithm = it.next();
      hashes.put(algorithm, f.text(algorithm));
    }
    return java.util.Collections.unmodifiableMap(hashes);
  }

  private static Timestamp parseTimestamp(Fields f, long version, Instant expires) {
    Fields meta = new Fields(f.object("meta"), f.where() + ".meta");
    MetaFile snapshot = metaFile(new Fields(meta.object("snapshot.json"), meta.where() + ".snapshot.json"));
    return new Timestamp(version, expires, snapshot);
  }

  private static Snapshot parseSnapshot(Fields f, long version, Instant expires) {
    Fields meta = new Fields(f.object("meta"), f.where() + ".meta");
    Map<String, MetaFile> files = new LinkedHashMap<>();
    for (Iterator<String> it = meta.node().fieldNames(); it.hasNext(); ) {
      String name = it.next();
      files.put(name, metaFile(new Fields(meta.object(name), meta.where() + "." + name)));
    }
    return new Snapshot(version, expires, Map.copyOf(files));
  }

  private static Targets parseTargets(Fields f, long version, Instant expires) {
    Fields targetsNode = new Fields(f.object("targets"), f.where() + ".targets");
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    for (Iterator<String> it = targetsNode.node().fieldNames(); it.hasNext(); ) {
      String path = it.next();
      Fields t = new Fields(targetsNode.object(path), targetsNode.where() + "." + path);
      Map<String, String> hashes = hashes(new Fields(t.object("hashes"), t.where() + ".hashes"));
      if (hashes.isEmpty()) {
        throw Fields.malformed(t.where() + ".hashes is empty");
      }
      JsonNode custom = t.has("custom") ? t.object("custom") : null;
      targets.put(path, new TargetFile(path, t.integer("length", 0), hashes, custom));
    }
    Optional<Delegations> delegations = f.optionalObject("delegations").map(d -> parseDelegations(new Fields(d, f.where() + ".delegations")));
    return new Targets(version, expires, targets, delegations);
  }

  private static Delegations parseDelegations(Fields f) {
    Map<String, TufKey> keys = keys(f.object("keys"), f.where() + ".keys");
    JsonNode rolesNode = f.array("roles");
    List<DelegatedRole> roles = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < rolesNode.size(); i++) {
      Fields r = new Fields(rolesNode.get(i), f.where() + ".roles[" + i + "]");
      String name = r.text("name");
      if (!names.add(name)) {
        throw Fields.malformed(r.where() + " repeats the role name '" + name + "'");
      }
      if (name.isEmpty() || name.contains("/") || name.startsWith(".") || name.contains("\\")
          || Set.of("root", "timestamp", "snapshot", "targets").contains(name)) {
        throw Fields.malformed(r.where() + " has an invalid role name '" + name + "'");
      }
      RoleKeys rk = roleKeys(r);
      boolean hasPaths = r.has("paths");
      boolean hasPrefixes = r.has("path_hash_prefixes");
      if (hasPaths == hasPrefixes) {
        throw Fields.malformed(r.where() + " must have exactly one of 'paths' and 'path_hash_prefixes'");
      }
      roles.add(new DelegatedRole(name, rk.keyIds(), rk.threshold(), r.bool("terminating", false),
          hasPaths ? r.texts("paths") : null, hasPrefixes ? r.texts("path_hash_prefixes") : null));
    }
    return new Delegations(Map.copyOf(keys), List.copyOf(roles));
  }
}
