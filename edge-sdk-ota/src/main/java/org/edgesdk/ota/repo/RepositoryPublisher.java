package org.edgesdk.ota.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.tuf.KeyType;
import org.edgesdk.ota.tuf.internal.AtomicFiles;
import org.edgesdk.ota.tuf.internal.CanonicalJson;
import org.edgesdk.ota.tuf.internal.Crypto;
import org.edgesdk.ota.tuf.internal.GzipMembers;
import org.edgesdk.ota.tuf.internal.Json;
import org.edgesdk.ota.tuf.internal.SigningKey;
import org.edgesdk.ota.tuf.internal.TargetFields;
import org.edgesdk.ota.tuf.internal.TufKey;

/**
 * Publishes a TUF repository in a directory.
 *
 * <p>Layout of the directory {@code R}:
 *
 * <ul>
 *   <li>{@code R/repository/} is what to serve (over HTTP, a CDN or on removable media):
 *       {@code metadata/} holds {@code N.root.json}, {@code timestamp.json} and the versioned
 *       snapshot and targets files (consistent snapshots), {@code targets/} holds each target as
 *       {@code SHA256.NAME};
 *   <li>{@code R/keys/} holds the private keys, one PEM file per key named after its key id; never
 *       serve it, and keep the root keys offline in production;
 *   <li>{@code R/staged/} holds targets roles changed since the last {@link #publish(Duration)}.
 * </ul>
 *
 * <p>A device ships {@code R/repository/metadata/1.root.json} as its trusted root.
 *
 * <pre>{@code
 * RepositoryPublisher repo = RepositoryPublisher.init(dir, KeyType.ED25519, Clock.systemUTC());
 * repo.addTarget(Path.of("rootfs.img"), "rootfs-1.4.2.img",
 *     UpdateFields.release("1.4.2").withHardware(Set.of("rpi4")).withSecurityVersion(3));
 * repo.publish(Duration.ofDays(7));
 * }</pre>
 */
public final class RepositoryPublisher {
  /** The spec version written into new metadata. */
  static final String SPEC_VERSION = "1.0.31";
  private static final List<String> TOP_ROLES = List.of("root", "timestamp", "snapshot", "targets");

  private final Path dir;
  private final Clock clock;
  private Duration rootLifetime = Duration.ofDays(365);

  private RepositoryPublisher(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /**
   * Creates a new repository: one key per top-level role, root version 1, and a first published
   * (empty) targets, snapshot and timestamp valid for 7 days.
   *
   * @param dir the repository directory; must not hold a repository yet
   * @param keyType the type of the keys to create
   * @param clock the clock expiry times are computed from
   * @return the publisher
   * @throws EdgeException {@code INVALID_ARGUMENT} if the directory already holds a repository,
   *     {@code IO_ERROR} if it cannot be written
   */
  public static RepositoryPublisher init(Path dir, KeyType keyType, Clock clock) {
    Objects.requireNonNull(keyType, "keyType");
    RepositoryPublisher repo = new RepositoryPublisher(dir, clock);
    if (Files.exists(repo.metadataDir().resolve("root.json"))) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT, dir + " already holds a TUF repository",
          "use another directory, or 'repo add' and 'repo publish' to change this one");
    }
    ObjectNode root = Json.object();
    root.put("_type", "root");
    root.put("spec_version", SPEC_VERSION);
    root.put("version", 1);
    root.put("expires", repo.expiry(repo.rootLifetime));
    root.put("consistent_snapshot", true);
    ObjectNode keys = root.putObject("keys");
    ObjectNode roles = root.putObject("roles");
    List<SigningKey> rootKeys = new ArrayList<>();
    for (String role : TOP_ROLES) {
      SigningKey key = repo.newKey(keyType);
      keys.set(key.keyId(), key.publicKey().toJson());
      ObjectNode r = roles.putObject(role);
      r.putArray("keyids").add(key.keyId());
      r.put("threshold", 1);
      if (role.equals("root")) {
        rootKeys.add(key);
      }
    }
    repo.writeRoot(root, rootKeys);
    ObjectNode targets = Json.object();
    targets.put("_type", "targets");
    targets.put("spec_version", SPEC_VERSION);
    targets.put("version", 0);
    targets.put("expires", repo.expiry(Duration.ofDays(7)));
    targets.putObject("targets");
    repo.stage("targets", targets);
    repo.publish(Duration.ofDays(7));
    return repo;
  }

  /**
   * Opens an existing repository.
   *
   * @param dir the repository directory
   * @param clock the clock expiry times are computed from
   * @return the publisher
   * @throws EdgeException {@code NOT_FOUND} if the directory holds no repository
   */
  public static RepositoryPublisher open(Path dir, Clock clock) {
    RepositoryPublisher repo = new RepositoryPublisher(dir, clock);
    if (!Files.exists(repo.metadataDir().resolve("root.json"))) {
      throw new EdgeException(ErrorCode.NOT_FOUND, dir + " holds no TUF repository (no repository/metadata/root.json)",
          "create one with 'edgectl ota repo init --dir " + dir + "'");
    }
    return repo;
  }

  /**
   * Sets how long root versions written from now on stay valid. If this method is not invoked,
   * 365 days.
   *
   * @param lifetime the lifetime
   * @return this publisher
   * @throws IllegalArgumentException if the lifetime is not positive
   */
  public RepositoryPublisher rootLifetime(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("rootLifetime must be positive but was " + lifetime);
    }
    this.rootLifetime = lifetime;
    return this;
  }

  /**
   * Returns the directory to serve: it holds {@code metadata/} and {@code targets/}.
   *
   * @return {@code R/repository}
   */
  public Path repositoryDir() {
    return dir.resolve("repository");
  }

  /**
   * Returns the root a device should ship as its trusted root: version 1.
   *
   * @return {@code R/repository/metadata/1.root.json}
   */
  public Path initialRoot() {
    return metadataDir().resolve("1.root.json");
  }

  private Path metadataDir() {
    return repositoryDir().resolve("metadata");
  }

  private String expiry(Duration lifetime) {
    return clock.instant().plus(lifetime).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Targets

  /**
   * Adds (or replaces) a target in the top-level targets role; it is published by the next
   * {@link #publish(Duration)}.
   *
   * @param file the target's bytes
   * @param name the target path, for example {@code rootfs-1.4.2.img}
   * @param fields the update fields
   * @return the target as devices will see it
   * @throws EdgeException {@code NOT_FOUND} or {@code IO_ERROR} if the file cannot be read
   */
  public TargetDescription addTarget(Path file, String name, UpdateFields fields) {
    return addTarget("targets", file, name, fields);
  }

  /**
   * Adds (or replaces) a target in a targets role: {@code targets} or a role created by
   * {@link #delegate(String, List, boolean, KeyType)}.
   *
   * @param role the role that lists the target
   * @param file the target's bytes
   * @param name the target path
   * @param fields the update fields
   * @return the target as devices will see it
   * @throws IllegalArgumentException if the name is blank, absolute or has {@code ..} parts
   */
  public TargetDescription addTarget(String role, Path file, String name, UpdateFields fields) {
    Objects.requireNonNull(fields, "fields");
    if (name.isBlank() || name.startsWith("/") || List.of(name.split("/")).contains("..")) {
      throw new IllegalArgumentException("invalid target name '" + name + "'");
    }
    ObjectNode draft = draft(role);
    try {
      long length = Files.size(file);
      String sha256 = sha256(file);
      int slash = name.lastIndexOf('/');
      Path stored = repositoryDir().resolve("targets")
          .resolve(name.substring(0, slash + 1) + sha256 + "." + name.substring(slash + 1));
      Files.createDirectories(stored.getParent());
      Path temp = stored.resolveSibling(stored.getFileName() + ".tmp");
      Files.copy(file, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.sync(temp);
      AtomicFiles.move(temp, stored);
      TargetDescription target = new TargetDescription(name, length, Map.of("sha256", sha256),
          fields.releaseVersion(), fields.hardware(), fields.slotClass(), fields.compression(),
          fields.securityVersion());
      ObjectNode entry = Json.object();
      entry.put("length", length);
      entry.putObject("hashes").put("sha256", sha256);
      entry.set("custom", TargetFields.custom(target));
      ((ObjectNode) draft.get("targets")).set(name, entry);
      stage(role, draft);
      return target;
    } catch (NoSuchFileException e) {
      throw new EdgeException(ErrorCode.NOT_FOUND, "the target file " + file + " does not exist",
          "give an existing image file", e);
    } catch (IOException e) {
      throw io("cannot add " + file + " to " + dir, e);
    }
  }

  /**
   * Compresses an uncompressed image as {@code fields.compression()} says and adds the result as a
   * target of a role, like {@link #addTarget(String, Path, String, UpdateFields)}. Gzip is written
   * as a sequence of independent members of {@value #GZIP_MEMBER_SIZE} uncompressed bytes each: a
   * valid gzip file ({@code gzip -d} and {@code zcat} read it whole) whose member boundaries are
   * the points where an interrupted install resumes without fetching the bytes before them again.
   *
   * @param role the role that lists the target
   * @param image the uncompressed image
   * @param name the target path, for example {@code rootfs-1.4.2.img.gz}
   * @param fields the update fields; their compression is {@code none} or {@code gzip}
   * @return the target as devices will see it
   * @throws EdgeException {@code UNSUPPORTED} for xz or zstd (compress with the tool and use
   *     {@code addTarget}), {@code NOT_FOUND} or {@code IO_ERROR} if the image cannot be read
   */
  public TargetDescription addImage(String role, Path image, String name, UpdateFields fields) {
    Objects.requireNonNull(fields, "fields");
    switch (fields.compression()) {
      case NONE:
        return addTarget(role, image, name, fields);
      case GZIP:
        break;
      default:
        throw new EdgeException(ErrorCode.UNSUPPORTED, "the publisher cannot " + fields.compression().metadataName()
            + "-compress " + image, "compress it with the " + fields.compression().metadataName()
                + " tool and add the result with addTarget");
    }
    Path temp = dir.resolve("tmp").resolve("compress-" + System.nanoTime() + ".gz");
    try {
      Files.createDirectories(temp.getParent());
      try (InputStream in = Files.newInputStream(image);
          java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
        GzipMembers.write(in, out, GZIP_MEMBER_SIZE, java.util.zip.Deflater.DEFAULT_COMPRESSION);
      }
      return addTarget(role, temp, name, fields);
    } catch (NoSuchFileException e) {
      throw new EdgeException(ErrorCode.NOT_FOUND, "the image " + image + " does not exist",
          "give an existing image file", e);
    } catch (IOException e) {
      throw io("cannot compress " + image + " into " + temp, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // a leftover temporary file in tmp/ only costs space
      }
    }
  }

  /** The uncompressed bytes per gzip member {@link #addImage} writes: 4 MiB. */
  public static final int GZIP_MEMBER_SIZE = GzipMembers.DEFAULT_MEMBER_SIZE;

  /**
   * Removes a target from a role; the next {@link #publish(Duration)} publishes the change.
   *
   * @param role the role that lists the target
   * @param name the target path
   * @return whether the role listed the target
   */
  public boolean removeTarget(String role, String name) {
    ObjectNode draft = draft(role);
    boolean removed = ((ObjectNode) draft.get("targets")).remove(name) != null;
    if (removed) {
      stage(role, draft);
    }
    return removed;
  }

  /**
   * Delegates target paths from the top-level targets role to a new role with one new key and
   * threshold 1.
   *
   * @param name the new role's name
   * @param paths shell-style path patterns ({@code *} does not cross {@code /})
   * @param terminating whether a lookup that matches these paths stops at this role
   * @param keyType the type of the role's key
   * @throws IllegalArgumentException if the name is a top-level role, is taken, or has {@code /}
   */
  public void delegate(String name, List<String> paths, boolean terminating, KeyType keyType) {
    if (TOP_ROLES.contains(name) || name.contains("/") || name.isBlank() || name.startsWith(".")) {
      throw new IllegalArgumentException("invalid delegated role name '" + name + "'");
    }
    ObjectNode top = draft("targets");
    ObjectNode delegations = top.has("delegations") ? (ObjectNode) top.get("delegations") : top.putObject("delegations");
    if (!delegations.has("keys")) {
      delegations.putObject("keys");
      delegations.putArray("roles");
    }
    for (JsonNode role : delegations.get("roles")) {
      if (name.equals(role.get("name").asText())) {
        throw new IllegalArgumentException("the role '" + name + "' is already delegated");
      }
    }
    SigningKey key = newKey(keyType);
    ((ObjectNode) delegations.get("keys")).set(key.keyId(), key.publicKey().toJson());
    ObjectNode role = ((ArrayNode) delegations.get("roles")).addObject();
    role.put("name", name);
    role.putArray("keyids").add(key.keyId());
    role.put("threshold", 1);
    role.put("terminating", terminating);
    ArrayNode patterns = role.putArray("paths");
    paths.forEach(patterns::add);
    stage("targets", top);
    ObjectNode delegated = Json.object();
    delegated.put("_type", "targets");
    delegated.put("spec_version", SPEC_VERSION);
    delegated.put("version", 0);
    delegated.put("expires", expiry(Duration.ofDays(7)));
    delegated.putObject("targets");
    stage(name, delegated);
  }

  // ---------------------------------------------------------------------------------------------
  // Publishing

  /**
   * Signs and writes every changed targets role (the top-level targets role every time), then a new
   * snapshot and a new timestamp, all expiring {@code lifetime} from now.
   *
   * @param lifetime how long the new metadata stays valid
   * @throws EdgeException {@code NOT_FOUND} if a role's private key is missing from {@code R/keys}
   */
  public void publish(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive but was " + lifetime);
    }
    ObjectNode root = current("root");
    ObjectNode top = draft("targets");
    List<String> changed = new ArrayList<>();
    // Delegated roles first: their keys are listed in the top-level targets role.
    try (var files = Files.list(stagedDir())) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json") && !n.equals("targets.json"))
          .map(n -> n.substring(0, n.length() - 5))
          .sorted()
          .forEach(changed::add);
    } catch (NoSuchFileException e) {
      // nothing staged
    } catch (IOException e) {
      throw io("cannot list " + stagedDir(), e);
    }
    for (String role : changed) {
      ObjectNode body = draft(role);
      ObjectNode delegations = (ObjectNode) top.get("delegations");
      JsonNode roleNode = null;
      if (delegations != null) {
        for (JsonNode r : delegations.get("roles")) {
          if (role.equals(r.get("name").asText())) {
            roleNode = r;
          }
        }
      }
      if (roleNode == null) {
        throw new EdgeException(ErrorCode.INVALID_ARGUMENT, "the staged role '" + role
            + "' is not delegated by targets", "delete " + stagedDir().resolve(role + ".json"));
      }
      writeVersioned(role, bump(body, lifetime), signers(textList(roleNode.get("keyids")), delegations.get("keys")));
    }
    JsonNode targetsRole = root.get("roles").get("targets");
    writeVersioned("targets", bump(top, lifetime), signers(textList(targetsRole.get("keyids")), root.get("keys")));

    ObjectNode snapshot = exists("snapshot") ? current("snapshot") : newBody("snapshot");
    ObjectNode meta = snapshot.putObject("meta");
    for (String role : allTargetsRoles(top)) {
      meta.set(role + ".json", metaEntry(metadataDir().resolve(role + ".json")));
    }
    JsonNode snapshotRole = root.get("roles").get("snapshot");
    writeVersioned("snapshot", bump(snapshot, lifetime), signers(textList(snapshotRole.get("keyids")), root.get("keys")));

    ObjectNode timestamp = exists("timestamp") ? current("timestamp") : newBody("timestamp");
    timestamp.putObject("meta").set("snapshot.json", metaEntry(metadataDir().resolve("snapshot.json")));
    bump(timestamp, lifetime);
    JsonNode timestampRole = root.get("roles").get("timestamp");
    write(metadataDir().resolve("timestamp.json"),
        sign(timestamp, signers(textList(timestampRole.get("keyids")), root.get("keys"))));
    try {
      if (Files.isDirectory(stagedDir())) {
        try (var files = Files.list(stagedDir())) {
          for (Path p : (Iterable<Path>) files::iterator) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw io("cannot clear " + stagedDir(), e);
    }
  }

  private static List<String> allTargetsRoles(ObjectNode top) {
    List<String> roles = new ArrayList<>(List.of("targets"));
    JsonNode delegations = top.get("delegations");
    if (delegations != null) {
      for (JsonNode r : delegations.get("roles")) {
        roles.add(r.get("name").asText());
      }
    }
    return roles;
  }

  private ObjectNode newBody(String type) {
    ObjectNode body = Json.object();
    body.put("_type", type);
    body.put("spec_version", SPEC_VERSION);
    body.put("version", 0);
    body.put("expires", expiry(Duration.ofDays(1)));
    return body;
  }

  private ObjectNode bump(ObjectNode body, Duration lifetime) {
    body.put("version", body.get("version").asLong() + 1);
    body.put("expires", expiry(lifetime));
    return body;
  }

  private ObjectNode metaEntry(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      JsonNode signed = Json.parse(bytes, file.toString()).get("signed");
      ObjectNode entry = Json.object();
      entry.put("version", signed.get("version").asLong());
      entry.put("length", bytes.length);
      entry.putObject("hashes").put("sha256", Crypto.sha256Hex(bytes));
      return entry;
    } catch (IOException e) {
      throw io("cannot read " + file, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Keys and root

  /**
   * Replaces the keys of a top-level role with one new key, writing root version N+1 signed by the
   * old and the new root keys. The old private keys move to {@code R/keys/retired/}. Call
   * {@link #publish(Duration)} afterwards so that the role's metadata is signed by the new key.
   *
   * @param role {@code root}, {@code timestamp}, {@code snapshot} or {@code targets}
   * @param keyType the type of the new key
   * @return the new root version
   */
  public long rotateKeys(String role, KeyType keyType) {
    requireTopRole(role);
    ObjectNode oldRoot = current("root");
    List<SigningKey> oldRootSigners = signers(textList(oldRoot.get("roles").get("root").get("keyids")), oldRoot.get("keys"));
    ObjectNode root = oldRoot.deepCopy();
    ObjectNode roleNode = (ObjectNode) root.get("roles").get(role);
    List<String> retired = textList(roleNode.get("keyids"));
    SigningKey key = newKey(keyType);
    roleNode.putArray("keyids").add(key.keyId());
    roleNode.put("threshold", 1);
    ((ObjectNode) root.get("keys")).set(key.keyId(), key.publicKey().toJson());
    dropUnusedKeys(root);
    long version = writeNextRoot(root, oldRootSigners);
    for (String id : retired) {
      if (!root.get("keys").has(id)) {
        retire(id);
      }
    }
    return version;
  }

  /**
   * Adds a new key to a top-level role (for thresholds above 1), writing root version N+1.
   *
   * @param role the role
   * @param keyType the new key's type
   * @return the new key's id
   */
  public String addKey(String role, KeyType keyType) {
    requireTopRole(role);
    ObjectNode oldRoot = current("root");
    List<SigningKey> oldRootSigners = signers(textList(oldRoot.get("roles").get("root").get("keyids")), oldRoot.get("keys"));
    ObjectNode root = oldRoot.deepCopy();
    SigningKey key = newKey(keyType);
    ((ArrayNode) root.get("roles").get(role).get("keyids")).add(key.keyId());
    ((ObjectNode) root.get("keys")).set(key.keyId(), key.publicKey().toJson());
    writeNextRoot(root, oldRootSigners);
    return key.keyId();
  }

  /**
   * Sets the signature threshold of a top-level role, writing root version N+1.
   *
   * @param role the role
   * @param threshold at least 1 and at most the role's number of keys
   * @return the new root version
   * @throws IllegalArgumentException if the threshold is out of range
   */
  public long setThreshold(String role, int threshold) {
    requireTopRole(role);
    ObjectNode oldRoot = current("root");
    int keys = oldRoot.get("roles").get(role).get("keyids").size();
    if (threshold < 1 || threshold > keys) {
      throw new IllegalArgumentException("threshold of " + role + " must be between 1 and " + keys
          + " but was " + threshold);
    }
    List<SigningKey> oldRootSigners = signers(textList(oldRoot.get("roles").get("root").get("keyids")), oldRoot.get("keys"));
    ObjectNode root = oldRoot.deepCopy();
    ((ObjectNode) root.get("roles").get(role)).put("threshold", threshold);
    return writeNextRoot(root, oldRootSigners);
  }

  private static void requireTopRole(String role) {
    if (!TOP_ROLES.contains(role)) {
      throw new IllegalArgumentException("role must be one of " + TOP_ROLES + " but was '" + role + "'");
    }
  }

  private static void dropUnusedKeys(ObjectNode root) {
    ObjectNode keys = (ObjectNode) root.get("keys");
    List<String> unused = new ArrayList<>();
    for (Iterator<String> it = keys.fieldNames(); it.hasNext(); ) {
      String id = it.next();
      boolean used = false;
      for (String role : TOP_ROLES) {
        used |= textList(root.get("roles").get(role).get("keyids")).contains(id);
      }
      if (!used) {
        unused.add(id);
      }
    }
    unused.forEach(keys::remove);
  }

  private long writeNextRoot(ObjectNode root, List<SigningKey> oldRootSigners) {
    long version = root.get("version").asLong() + 1;
    root.put("version", version);
    root.put("expires", expiry(rootLifetime));
    List<SigningKey> signers = new ArrayList<>(oldRootSigners);
    for (SigningKey k : signers(textList(root.get("roles").get("root").get("keyids")), root.get("keys"))) {
      if (signers.stream().noneMatch(s -> s.keyId().equals(k.keyId()))) {
        signers.add(k);
      }
    }
    writeRoot(root, signers);
    return version;
  }

  private void writeRoot(ObjectNode root, List<SigningKey> signers) {
    byte[] bytes = sign(root, signers);
    write(metadataDir().resolve(root.get("version").asLong() + ".root.json"), bytes);
    write(metadataDir().resolve("root.json"), bytes);
  }

  private SigningKey newKey(KeyType type) {
    SigningKey key = SigningKey.generate(type);
    Path file = keysDir().resolve(key.keyId() + ".pem");
    try {
      Files.createDirectories(keysDir());
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key.toPem(), StandardCharsets.US_ASCII);
      AtomicFiles.sync(file);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("key file " + file + " already exists", e);
    } catch (IOException e) {
      throw io("cannot write the key " + file, e);
    }
    return key;
  }

  private void retire(String keyId) {
    Path file = keysDir().resolve(keyId + ".pem");
    try {
      if (Files.exists(file)) {
        Files.createDirectories(keysDir().resolve("retired"));
        Files.move(file, keysDir().resolve("retired").resolve(file.getFileName()));
      }
    } catch (IOException e) {
      throw io("cannot retire the key " + file, e);
    }
  }

  private Path keysDir() {
    return dir.resolve("keys");
  }

  /** The signing keys available in {@code R/keys} for the key ids; all must be present. */
  private List<SigningKey> signers(List<String> keyIds, JsonNode keys) {
    List<SigningKey> signers = new ArrayList<>();
    for (String id : keyIds) {
      Path file = keysDir().resolve(id + ".pem");
      JsonNode keyNode = keys.get(id);
      KeyType type = KeyType.of(keyNode.get("keytype").asText(), keyNode.get("scheme").asText()).orElseThrow();
      try {
        signers.add(SigningKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII), type));
      } catch (NoSuchFileException e) {
        throw new EdgeException(ErrorCode.NOT_FOUND, "the private key " + file + " is missing",
            "restore it from the offline key store into " + keysDir(), e);
      } catch (IOException e) {
        throw io("cannot read the key " + file, e);
      }
    }
    return signers;
  }

  // ---------------------------------------------------------------------------------------------
  // Files

  private static byte[] sign(ObjectNode signed, List<SigningKey> signers) {
    byte[] canonical = CanonicalJson.encode(signed);
    ObjectNode document = Json.object();
    ArrayNode signatures = document.putArray("signatures");
    for (SigningKey key : signers) {
      ObjectNode s = signatures.addObject();
      s.put("keyid", key.keyId());
      s.put("sig", HexFormat.of().formatHex(key.sign(canonical)));
    }
    document.set("signed", signed);
    return Json.write(document);
  }

  private void writeVersioned(String role, ObjectNode body, List<SigningKey> signers) {
    byte[] bytes = sign(body, signers);
    write(metadataDir().resolve(body.get("version").asLong() + "." + role + ".json"), bytes);
    write(metadataDir().resolve(role + ".json"), bytes);
  }

  private void write(Path file, byte[] bytes) {
    try {
      AtomicFiles.write(file, bytes);
    } catch (IOException e) {
      throw io("cannot write " + file, e);
    }
  }

  private boolean exists(String role) {
    return Files.exists(metadataDir().resolve(role + ".json"));
  }

  private ObjectNode current(String role) {
    Path file = metadataDir().resolve(role + ".json");
    try {
      return (ObjectNode) Json.parse(Files.readAllBytes(file), file.toString()).get("signed");
    } catch (IOException e) {
      throw io("cannot read " + file, e);
    }
  }

  private Path stagedDir() {
    return dir.resolve("staged");
  }

  /** The staged body of a targets role, else its published body. */
  private ObjectNode draft(String role) {
    Path staged = stagedDir().resolve(role + ".json");
    try {
      if (Files.exists(staged)) {
        return (ObjectNode) Json.parse(Files.readAllBytes(staged), staged.toString());
      }
    } catch (IOException e) {
      throw io("cannot read " + staged, e);
    }
    if (!exists(role)) {
      throw new IllegalArgumentException("no targets role '" + role + "' in " + dir);
    }
    return current(role);
  }

  private void stage(String role, ObjectNode body) {
    write(stagedDir().resolve(role + ".json"), Json.write(body));
  }

  private static List<String> textList(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asText()));
    return values;
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = Crypto.digest("sha256").orElseThrow();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private EdgeException io(String what, IOException e) {
    return new EdgeException(ErrorCode.IO_ERROR, what + " (" + e + ")",
        "check that " + dir + " is writable and its file system has space", e);
  }

  /**
   * Returns the targets of the published top-level targets role and its delegated roles, as
   * devices will see them.
   *
   * @return target name to description, sorted by name
   */
  public Map<String, TargetDescription> publishedTargets() {
    Map<String, TargetDescription> result = new TreeMap<>();
    for (String role : allTargetsRoles(current("targets"))) {
      JsonNode targets = current(role).get("targets");
      for (Map.Entry<String, JsonNode> e : targets.properties()) {
        JsonNode t = e.getValue();
        result.putIfAbsent(e.getKey(), TargetFields.describe(e.getKey(), t.get("length").asLong(),
            Map.of("sha256", t.get("hashes").get("sha256").asText()), t.get("custom")));
      }
    }
    return result;
  }
}
