package org.edgesdk.ota.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.api.ota.UpdateRepository;
import org.edgesdk.ota.tuf.internal.AtomicFiles;
import org.edgesdk.ota.tuf.internal.Crypto;
import org.edgesdk.ota.tuf.internal.Metadata;
import org.edgesdk.ota.tuf.internal.Metadata.DelegatedRole;
import org.edgesdk.ota.tuf.internal.Metadata.MetaFile;
import org.edgesdk.ota.tuf.internal.Metadata.Role;
import org.edgesdk.ota.tuf.internal.Metadata.Root;
import org.edgesdk.ota.tuf.internal.Metadata.Snapshot;
import org.edgesdk.ota.tuf.internal.Metadata.TargetFile;
import org.edgesdk.ota.tuf.internal.TargetFields;
import org.edgesdk.ota.tuf.internal.Metadata.Targets;
import org.edgesdk.ota.tuf.internal.Metadata.Timestamp;
import org.edgesdk.ota.tuf.internal.TrustedState;
import org.edgesdk.ota.tuf.internal.Verifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TUF client: the {@link UpdateRepository} of a repository published with The Update Framework,
 * following the client workflow of the TUF specification 1.0.
 *
 * <p>{@link #refresh()} loads the trusted root, walks root versions N+1, N+2, ... (each signed by a
 * threshold of the previous and of its own root keys), then fetches timestamp, snapshot and targets,
 * checking signatures against thresholds of distinct keys, versions against the trusted copies
 * (rollback), expiry against the injected {@link Clock} (freeze), versions, lengths and hashes
 * between roles (mix-and-match), and sizes (endless data). If the timestamp or snapshot keys
 * rotated, the trusted timestamp and snapshot are discarded (fast-forward recovery). The verified
 * metadata is committed to the state directory only when the whole refresh succeeds, each file
 * replaced atomically; a refused repository leaves the state as it was.
 *
 * <p>Targets are looked up through delegations (pre-order, path patterns, terminating roles) and
 * carry the update fields of the target's {@code custom.edgesdk} object: {@code releaseVersion}
 * (string), {@code hardware} (array of strings), {@code slotClass} (string), {@code compression}
 * ({@code none}, {@code gzip}, {@code xz} or {@code zstd}) and {@code securityVersion} (integer),
 * all optional. A target
 * whose security version is below the device's {@link #securityFloor() anti-rollback floor} is
 * refused at download.
 *
 * <pre>{@code
 * TufClient client = TufClient.builder()
 *     .repository(URI.create("https://updates.example.com/fleet/"))
 *     .trustedRoot(Path.of("/usr/share/edgesdk/root.json"))
 *     .stateDirectory(Path.of("/var/lib/edgesdk/tuf"))
 *     .build();
 * client.refresh();
 * for (TargetDescription t : client.targets()) { ... }
 * }</pre>
 */
public final class TufClient implements UpdateRepository {
  private static final Logger LOG = LoggerFactory.getLogger(TufClient.class);

  private final Transport transport;
  private final TrustedState state;
  private final Clock clock;
  private final MetadataLimits limits;
  private final int maxRootRotations;
  private final int maxDelegations;
  private final Metadata<Root> shippedRoot;

  private @Nullable Metadata<Root> root;
  private @Nullable Metadata<Snapshot> snapshot;
  private @Nullable Metadata<Targets> targets;
  private final Map<String, Metadata<Targets>> delegated = new HashMap<>();
  private Instant updateStart = Instant.EPOCH;

  private TufClient(Builder b) {
    this.transport = Objects.requireNonNull(b.transport, "transport or repository must be set");
    this.state = new TrustedState(Objects.requireNonNull(b.stateDirectory, "stateDirectory must be set"));
    this.clock = b.clock;
    this.limits = b.limits;
    this.maxRootRotations = b.maxRootRotations;
    this.maxDelegations = b.maxDelegations;
    byte[] rootBytes = Objects.requireNonNull(b.trustedRoot, "trustedRoot must be set");
    Metadata<Root> shipped = Metadata.parse(rootBytes, "the trusted root", Root.class);
    Root r = shipped.role();
    Verifier.verify(shipped, "the trusted root (version " + r.version() + ")", r.keys(),
        r.role("root").keyIds(), r.role("root").threshold());
    this.shippedRoot = shipped;
  }

  /**
   * Returns a new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TufClient}. */
  public static final class Builder {
    private @Nullable Transport transport;
    private byte @Nullable [] trustedRoot;
    private @Nullable Path stateDirectory;
    private Clock clock = Clock.systemUTC();
    private MetadataLimits limits = MetadataLimits.defaults();
    private Timeouts timeouts = Timeouts.defaults();
    private @Nullable URI repository;
    private int maxRootRotations = 32;
    private int maxDelegations = 32;

    private Builder() {}

    /**
     * Sets the repository's base URL ({@code http://}, {@code https://} or {@code file://}), the
     * directory that holds {@code metadata/} and {@code targets/}. Either this or
     * {@link #transport(Transport)} must be set.
     *
     * @param base the repository URL
     * @return this builder
     */
    public Builder repository(URI base) {
      this.repository = Objects.requireNonNull(base, "base");
      this.transport = null;
      return this;
    }

    /**
     * Sets the transport that fetches the repository's files, instead of a URL.
     *
     * @param transport the transport
     * @return this builder
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.repository = null;
      return this;
    }

    /**
     * Sets the timeouts of the built-in transports. If this method is not invoked,
     * {@link Timeouts#defaults()} apply.
     *
     * @param timeouts the timeouts
     * @return this builder
     */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /**
     * Sets the root metadata shipped with the device, the start of all trust. Required.
     *
     * @param rootJson the content of a {@code root.json}
     * @return this builder
     */
    public Builder trustedRoot(byte[] rootJson) {
      this.trustedRoot = rootJson.clone();
      return this;
    }

    /**
     * Reads the root metadata shipped with the device from a file.
     *
     * @param rootJson the {@code root.json} file
     * @return this builder
     * @throws EdgeException {@code NOT_FOUND} or {@code IO_ERROR} if it cannot be read
     */
    public Builder trustedRoot(Path rootJson) {
      try {
        return trustedRoot(Files.readAllBytes(rootJson));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new EdgeException(ErrorCode.NOT_FOUND, "the trusted root " + rootJson + " does not exist",
            "give the root.json shipped with the device (the repository's 1.root.json)", e);
      } catch (IOException e) {
        throw new EdgeException(ErrorCode.IO_ERROR, "cannot read the trusted root " + rootJson + " (" + e + ")",
            "check the file's permissions", e);
      }
    }

    /**
     * Sets the directory where trusted metadata and the anti-rollback floor are persisted. Required.
     *
     * @param dir the state directory; created when first written
     * @return this builder
     */
    public Builder stateDirectory(Path dir) {
      this.stateDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Sets the clock that expiry is checked against. If this method is not invoked, the system
     * UTC clock is used.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the size limits of metadata files. If this method is not invoked,
     * {@link MetadataLimits#defaults()} apply.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(MetadataLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets how many root versions one refresh may walk. If this method is not invoked, 32.
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public Builder maxRootRotations(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRootRotations must be >= 1 but was " + max);
      }
      this.maxRootRotations = max;
      return this;
    }

    /**
     * Builds the client; it reads nothing from the network until {@link TufClient#refresh()}.
     *
     * @return the client
     * @throws RepositoryRefusedException if the trusted root is not valid, self-signed metadata
     */
    public TufClient build() {
      if (repository != null) {
        transport = Transport.of(repository, timeouts);
      }
      return new TufClient(this);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Refresh

  @Override
  public void refresh() {
    state.discard();
    root = null;
    snapshot = null;
    targets = null;
    delegated.clear();
    updateStart = clock.instant();
    try {
      Metadata<Root> trustedRoot = loadTrustedRoot();
      Metadata<Root> newRoot = updateRoot(trustedRoot);
      boolean keysRotated = rotated(trustedRoot.role(), newRoot.role(), "timestamp")
          || rotated(trustedRoot.role(), newRoot.role(), "snapshot");
      Metadata<Timestamp> trustedTimestamp = keysRotated ? null : loadLocal("timestamp.json", Timestamp.class, newRoot, "timestamp");
      Metadata<Snapshot> trustedSnapshot = keysRotated ? null : loadLocal("snapshot.json", Snapshot.class, newRoot, "snapshot");
      if (keysRotated) {
        LOG.info("timestamp or snapshot keys rotated: discarding the trusted timestamp and snapshot");
        state.stageDelete("timestamp.json");
        state.stageDelete("snapshot.json");
      }
      Metadata<Timestamp> timestamp = updateTimestamp(newRoot, trustedTimestamp);
      Metadata<Snapshot> newSnapshot = updateSnapshot(newRoot, timestamp, trustedSnapshot);
      Metadata<Targets> newTargets = updateTargets(newRoot, newSnapshot);
      state.commit();
      root = newRoot;
      snapshot = newSnapshot;
      targets = newTargets;
    } catch (RuntimeException e) {
      state.discard();
      throw e;
    }
  }

  private static boolean rotated(Root before, Root after, String role) {
    return !new HashSet<>(before.role(role).keyIds()).equals(new HashSet<>(after.role(role).keyIds()))
        || before.role(role).threshold() != after.role(role).threshold();
  }

  private Metadata<Root> loadTrustedRoot() {
    Optional<byte[]> local = state.read("root.json");
    if (local.isPresent()) {
      try {
        Metadata<Root> stored = Metadata.parse(local.get(), state.dir().resolve("root.json").toString(), Root.class);
        Root r = stored.role();
        Verifier.verify(stored, "the stored root", r.keys(), r.role("root").keyIds(), r.role("root").threshold());
        if (r.version() >= shippedRoot.role().version()) {
          return stored;
        }
      } catch (RepositoryRefusedException e) {
        LOG.warn("ignoring the stored root, using the shipped one: {}", e.problem());
      }
    }
    return shippedRoot;
  }

  private Metadata<Root> updateRoot(Metadata<Root> trusted) {
    Metadata<Root> current = trusted;
    if (!java.util.Arrays.equals(state.read("root.json").orElse(null), trusted.bytes())) {
      // The first refresh persists the shipped root; an unusable stored root is replaced by it.
      state.stage("root.json", trusted.bytes());
    }
    for (int i = 0; i < maxRootRotations; i++) {
      long next = current.role().version() + 1;
      String name = next + ".root.json";
      Optional<byte[]> bytes = transport.fetch("metadata/" + name, limits.root());
      if (bytes.isEmpty()) {
        break;
      }
      Metadata<Root> candidate = Metadata.parse(bytes.get(), name, Root.class);
      Root old = current.role();
      Verifier.verify(candidate, name + " (by the keys of root version " + old.version() + ")",
          old.keys(), old.role("root").keyIds(), old.role("root").threshold());
      Root fresh = candidate.role();
      Verifier.verify(candidate, name + " (by its own root keys)",
          fresh.keys(), fresh.role("root").keyIds(), fresh.role("root").threshold());
      if (fresh.version() != next) {
        throw new RepositoryRefusedException(Refusal.ROLLBACK,
            name + " holds root version " + fresh.version() + " but version " + next + " was expected");
      }
      current = candidate;
      state.stage("root.json", candidate.bytes());
    }
    if (!current.role().expires().isAfter(updateStart)) {
      throw expired("root.json version " + current.role().version(), current.role().expires());
    }
    return current;
  }

  private RepositoryRefusedException expired(String what, Instant expires) {
    return new RepositoryRefusedException(Refusal.FREEZE,
        what + " expired at " + expires + " (now " + updateStart + ")");
  }

  /** A stored metadata file that still verifies against the trusted root, or null. */
  private <T extends Role> @Nullable Metadata<T> loadLocal(String file, Class<T> type, Metadata<Root> trustedRoot, String role) {
    Optional<byte[]> bytes = state.read(file);
    if (bytes.isEmpty()) {
      return null;
    }
    try {
      Metadata<T> md = Metadata.parse(bytes.get(), state.dir().resolve(file).toString(), type);
      Root r = trustedRoot.role();
      Verifier.verify(md, "the stored " + file, r.keys(), r.role(role).keyIds(), r.role(role).threshold());
      return md;
    } catch (RepositoryRefusedException e) {
      LOG.warn("ignoring the stored {}: {}", file, e.problem());
      return null;
    }
  }

  private byte[] fetchRequired(String name, long maxLength) {
    return transport.fetch("metadata/" + name, maxLength).orElseThrow(() -> new EdgeException(
        ErrorCode.NOT_FOUND, "the repository has no metadata/" + name,
        "check the repository URL; it must point at the directory holding metadata/ and targets/"));
  }

  private Metadata<Timestamp> updateTimestamp(Metadata<Root> trustedRoot, @Nullable Metadata<Timestamp> trusted) {
    byte[] bytes = fetchRequired("timestamp.json", limits.timestamp());
    Metadata<Timestamp> fresh = Metadata.parse(bytes, "timestamp.json", Timestamp.class);
    Root r = trustedRoot.role();
    Verifier.verify(fresh, "timestamp.json", r.keys(), r.role("timestamp").keyIds(), r.role("timestamp").threshold());
    Timestamp ts = fresh.role();
    if (trusted != null) {
      Timestamp old = trusted.role();
      if (ts.version() < old.version()) {
        throw new RepositoryRefusedException(Refusal.ROLLBACK, "timestamp.json version " + ts.version()
            + " is lower than the trusted version " + old.version());
      }
      if (ts.snapshot().version() < old.snapshot().version()) {
        throw new RepositoryRefusedException(Refusal.ROLLBACK, "timestamp.json lists snapshot version "
            + ts.snapshot().version() + ", lower than the trusted " + old.snapshot().version());
      }
      if (ts.version() == old.version()) {
        fresh = trusted; // nothing new; keep the trusted copy as it is
        ts = old;
      }
    }
    if (!ts.expires().isAfter(updateStart)) {
      throw expired("timestamp.json version " + ts.version(), ts.expires());
    }
    if (fresh != trusted) {
      state.stage("timestamp.json", fresh.bytes());
    }
    return fresh;
  }

  private static void checkLengthAndHashes(byte[] bytes, MetaFile expected, String name, String listedBy) {
    if (expected.length().isPresent() && bytes.length != expected.length().getAsLong()) {
      throw new RepositoryRefusedException(Refusal.MIX_AND_MATCH, name + " has " + bytes.length
          + " bytes but " + listedBy + " lists " + expected.length().getAsLong());
    }
    for (Map.Entry<String, String> hash : expected.hashes().entrySet()) {
      Optional<MessageDigest> digest = Crypto.digest(hash.getKey());
      if (digest.isEmpty()) {
        continue; // another listed algorithm may be supported; unknown ones cannot be checked
      }
      String actual = HexFormat.of().formatHex(digest.get().digest(bytes));
      if (!actual.equalsIgnoreCase(hash.getValue())) {
        throw new RepositoryRefusedException(Refusal.MIX_AND_MATCH, name + " has " + hash.getKey() + " "
            + actual + " but " + listedBy + " lists " + hash.getValue());
      }
    }
  }

  private Metadata<Snapshot> updateSnapshot(Metadata<Root> trustedRoot, Metadata<Timestamp> timestamp,
      @Nullable Metadata<Snapshot> trusted) {
    MetaFile listed = timestamp.role().snapshot();
    if (trusted != null && trusted.role().version() == listed.version()) {
      checkSnapshot(trusted, trustedRoot, listed, null);
      return trusted;
    }
    String name = trustedRoot.role().consistentSnapshot() ? listed.version() + ".snapshot.json" : "snapshot.json";
    byte[] bytes = fetchRequired(name, listed.length().orElse(limits.snapshot()));
    checkLengthAndHashes(bytes, listed, name, "timestamp.json");
    Metadata<Snapshot> fresh = Metadata.parse(bytes, name, Snapshot.class);
    Root r = trustedRoot.role();
    Verifier.verify(fresh, name, r.keys(), r.role("snapshot").keyIds(), r.role("snapshot").threshold());
    checkSnapshot(fresh, trustedRoot, listed, trusted);
    state.stage("snapshot.json", bytes);
    return fresh;
  }

  private void checkSnapshot(Metadata<Snapshot> fresh, Metadata<Root> trustedRoot, MetaFile listed,
      @Nullable Metadata<Snapshot> trusted) {
    Snapshot s = fresh.role();
    if (s.version() != listed.version()) {
      throw new RepositoryRefusedException(Refusal.MIX_AND_MATCH, "snapshot.json has version " + s.version()
          + " but timestamp.json lists version " + listed.version());
    }
    if (trusted != null) {
      for (Map.Entry<String, MetaFile> old : trusted.role().meta().entrySet()) {
        MetaFile now = s.meta().get(old.getKey());
        if (now == null) {
          throw new RepositoryRefusedException(Refusal.ROLLBACK, "snapshot.json version " + s.version()
              + " no longer lists " + old.getKey() + ", which the trusted snapshot lists");
        }
        if (now.version() < old.getValue().version()) {
          throw new RepositoryRefusedException(Refusal.ROLLBACK, "snapshot.json lists " + old.getKey()
              + " version " + now.version() + ", lower than the trusted " + old.getValue().version());
        }
      }
    }
    if (!s.expires().isAfter(updateStart)) {
      throw expired("snapshot.json version " + s.version(), s.expires());
    }
  }

  private Metadata<Targets> updateTargets(Metadata<Root> trustedRoot, Metadata<Snapshot> snap) {
    Root r = trustedRoot.role();
    return loadTargets("targets", r.keys(), r.role("targets").keyIds(), r.role("targets").threshold(),
        trustedRoot, snap);
  }

  /** Loads a top-level or delegated targets role, from the trusted copy or the repository. */
  private Metadata<Targets> loadTargets(String role, Map<String, org.edgesdk.ota.tuf.internal.TufKey> keys,
      List<String> keyIds, int threshold, Metadata<Root> trustedRoot, Metadata<Snapshot> snap) {
    String file = role + ".json";
    MetaFile listed = snap.role().meta().get(file);
    if (listed == null) {
      throw new RepositoryRefusedException(Refusal.MIX_AND_MATCH,
          "snapshot.json version " + snap.role().version() + " does not list " + file);
    }
    Metadata<Targets> stored = loadStoredTargets(file, keys, keyIds, threshold);
    Metadata<Targets> md;
    if (stored != null && stored.role().version() == listed.version()) {
      md = stored;
    } else {
      String name = trustedRoot.role().consistentSnapshot() ? listed.version() + "." + file : file;
      byte[] bytes = fetchRequired(name, listed.length().orElse(limits.targets()));
      checkLengthAndHashes(bytes, listed, name, "snapshot.json");
      md = Metadata.parse(bytes, name, Targets.class);
      Verifier.verify(md, name, keys, keyIds, threshold);
      if (md.role().version() != listed.version()) {
        throw new RepositoryRefusedException(Refusal.MIX_AND_MATCH, name + " has version " + md.role().version()
            + " but snapshot.json lists version " + listed.version());
      }
      state.stage(file, bytes);
    }
    if (!md.role().expires().isAfter(updateStart)) {
      throw expired(file + " version " + md.role().version(), md.role().expires());
    }
    return md;
  }

  private @Nullable Metadata<Targets> loadStoredTargets(String file, Map<String, org.edgesdk.ota.tuf.internal.TufKey> keys,
      List<String> keyIds, int threshold) {
    Optional<byte[]> bytes = state.read(file);
    if (bytes.isEmpty()) {
      return null;
    }
    try {
      Metadata<Targets> md = Metadata.parse(bytes.get(), state.dir().resolve(file).toString(), Targets.class);
      Verifier.verify(md, "the stored " + file, keys, keyIds, threshold);
      return md;
    } catch (RepositoryRefusedException e) {
      LOG.warn("ignoring the stored {}: {}", file, e.problem());
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Targets

  private Metadata<Targets> requireRefreshed() {
    if (targets == null) {
      throw new IllegalStateException("refresh() has not succeeded yet");
    }
    return targets;
  }

  /** A role visited during a lookup, with the delegation that trusts it. */
  private record Visit(String name, Metadata<Targets> metadata) {}

  private Metadata<Targets> delegatedRole(Visit parent, DelegatedRole role) {
    // Cached per delegating role: the same role may be delegated with other keys elsewhere.
    String key = parent.name() + "\u0000" + role.name();
    Metadata<Targets> md = delegated.get(key);
    if (md == null) {
      var delegations = parent.metadata().role().delegations().orElseThrow();
      md = loadTargets(role.name(), delegations.keys(), role.keyIds(), role.threshold(),
          Objects.requireNonNull(root), Objects.requireNonNull(snapshot));
      delegated.put(key, md);
    }
    return md;
  }

  private Optional<TargetFile> lookup(String path) {
    Metadata<Targets> top = requireRefreshed();
    try {
      Deque<Visit> toVisit = new ArrayDeque<>();
      toVisit.push(new Visit("targets", top));
      Set<String> visited = new HashSet<>();
      while (!toVisit.isEmpty() && visited.size() < maxDelegations) {
        Visit visit = toVisit.pop();
        if (!visited.add(visit.name())) {
          continue;
        }
        TargetFile found = visit.metadata().role().targets().get(path);
        if (found != null) {
          state.commit();
          return Optional.of(found);
        }
        var delegations = visit.metadata().role().delegations();
        if (delegations.isEmpty()) {
          continue;
        }
        List<Visit> children = new ArrayList<>();
        for (DelegatedRole role : delegations.get().roles()) {
          if (role.matches(path)) {
            children.add(new Visit(role.name(), delegatedRole(visit, role)));
            if (role.terminating()) {
              toVisit.clear();
              break;
            }
          }
        }
        for (int i = children.size() - 1; i >= 0; i--) {
          toVisit.push(children.get(i));
        }
      }
      state.commit();
      return Optional.empty();
    } catch (RuntimeException e) {
      state.discard();
      throw e;
    }
  }

  /** Every target path any reachable role lists (candidates; the lookup decides). */
  private Set<String> candidatePaths() {
    Metadata<Targets> top = requireRefreshed();
    Set<String> paths = new LinkedHashSet<>();
    Deque<Visit> toVisit = new ArrayDeque<>();
    toVisit.push(new Visit("targets", top));
    Set<String> visited = new HashSet<>();
    try {
      while (!toVisit.isEmpty() && visited.size() < maxDelegations) {
        Visit visit = toVisit.pop();
        if (!visited.add(visit.name())) {
          continue;
        }
        paths.addAll(visit.metadata().role().targets().keySet());
        visit.metadata().role().delegations().ifPresent(d -> {
          for (DelegatedRole role : d.roles()) {
            toVisit.push(new Visit(role.name(), delegatedRole(visit, role)));
          }
        });
      }
      state.commit();
    } catch (RuntimeException e) {
      state.discard();
      throw e;
    }
    return paths;
  }

  @Override
  public List<TargetDescription> targets() {
    Map<String, TargetDescription> result = new TreeMap<>();
    for (String path : candidatePaths()) {
      lookup(path).ifPresent(t -> result.put(path, TargetFields.describe(t.path(), t.length(), t.hashes(), t.custom())));
    }
    return List.copyOf(result.values());
  }

  @Override
  public Optional<TargetDescription> target(String name) {
    Objects.requireNonNull(name, "name");
    return lookup(name).map(t -> TargetFields.describe(t.path(), t.length(), t.hashes(), t.custom()));
  }

  /**
   * Returns the device's anti-rollback floor, stored in the state directory.
   *
   * @return the lowest security version the device accepts, 0 if none is stored
   */
  public long securityFloor() {
    return state.floor();
  }

  /**
   * Raises the device's anti-rollback floor, typically after an update with a higher security
   * version has booted and been marked good. The floor is never lowered.
   *
   * @param floor the new floor
   * @throws IllegalArgumentException if {@code floor} is negative
   */
  public void raiseSecurityFloor(long floor) {
    if (floor < 0) {
      throw new IllegalArgumentException("floor must be >= 0 but was " + floor);
    }
    state.raiseFloor(floor);
  }

  /** The trusted entry of a target, after the anti-rollback check, and its repository path. */
  private record Resolved(TargetFile file, String path) {}

  private Resolved resolve(TargetDescription target) {
    TargetFile file = lookup(target.name()).orElseThrow(() -> new EdgeException(ErrorCode.NOT_FOUND,
        "no trusted role lists the target '" + target.name() + "'",
        "run check to list the targets this repository offers"));
    TargetDescription trusted = TargetFields.describe(file.path(), file.length(), file.hashes(), file.custom());
    long floor = securityFloor();
    if (trusted.securityVersion() < floor) {
      throw new RepositoryRefusedException(Refusal.DOWNGRADE, "target " + trusted.name()
          + " has security version " + trusted.securityVersion() + ", below this device's floor " + floor);
    }
    String path = file.path();
    if (Objects.requireNonNull(root).role().consistentSnapshot()) {
      String hash = file.hashes().containsKey("sha256") ? file.hashes().get("sha256") : file.hashes().values().iterator().next();
      int slash = path.lastIndexOf('/');
      path = path.substring(0, slash + 1) + hash + "." + path.substring(slash + 1);
    }
    return new Resolved(file, "targets/" + path);
  }

  /**
   * Opens a target as a stream verified against the trusted metadata, from its first byte. Nothing
   * is written anywhere: the caller consumes the bytes (decompresses them into a slot, for
   * example) and makes them take effect only after the stream verified the whole target.
   *
   * @param target a target from {@link #targets()} or {@link #target(String)}
   * @return the stream; close it
   * @throws RepositoryRefusedException {@link Refusal#DOWNGRADE} below the anti-rollback floor,
   *     {@link Refusal#MALFORMED_METADATA} if no listed hash algorithm is supported
   * @throws EdgeException {@code NOT_FOUND} if no trusted role lists the target or the repository
   *     lacks the file
   * @throws IllegalStateException if {@link #refresh()} has not succeeded
   */
  public TargetStream openTarget(TargetDescription target) {
    return openTarget(target, TargetStream.Checkpoint.start());
  }

  /**
   * Opens a target as a verified stream that continues at a checkpoint taken from an earlier
   * {@link TargetStream} of the same target: only the bytes after the checkpoint are fetched
   * (an HTTP {@code Range} request), and the whole target is still verified at the end.
   *
   * @param target a target from {@link #targets()} or {@link #target(String)}
   * @param from a checkpoint of the same target, or {@link TargetStream.Checkpoint#start()}
   * @return the stream; close it
   * @throws IllegalArgumentException if the checkpoint lies past the target's length or its hash
   *     states do not fit the target's hashes (a checkpoint of another target)
   * @throws RepositoryRefusedException as {@link #openTarget(TargetDescription)}
   * @throws EdgeException as {@link #openTarget(TargetDescription)}
   * @throws IllegalStateException if {@link #refresh()} has not succeeded
   */
  public TargetStream openTarget(TargetDescription target, TargetStream.Checkpoint from) {
    Objects.requireNonNull(from, "from");
    Resolved r = resolve(target);
    Map<String, String> hashes = supportedHashes(r);
    if (from.offset() > r.file().length()) {
      throw new IllegalArgumentException("checkpoint offset " + from.offset() + " lies past the "
          + r.file().length() + " bytes of target " + r.file().path());
    }
    TargetStream.Checkpoint checked = from;
    InputStream in = transport.open(r.path(), from.offset(), r.file().length());
    try {
      return new TargetStream(r.file().path(), r.file().length(), hashes, checked, in);
    } catch (RuntimeException e) {
      try {
        in.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Opens a target as a verified stream in replay mode, for a consumer that keeps its own copy of
   * the bytes it consumed (an uncompressed image written to a slot): the hashes use the JDK's
   * digests, several times faster than the default mode's, but their state cannot be saved, so
   * this stream's {@link TargetStream#checkpoint() checkpoints} hold only an offset. To resume,
   * pass that offset and the local copy of the bytes before it: they are read and hashed again
   * (locally, nothing is fetched twice) and only the rest is fetched. The whole target is verified
   * at the end as in {@link #openTarget(TargetDescription)}; if the local copy changed since, the
   * hashes do not match and the stream refuses the target.
   *
   * @param target a target from {@link #targets()} or {@link #target(String)}
   * @param offset the bytes already consumed, 0 to start
   * @param prefix the local copy of the first {@code offset} bytes (read up to {@code offset}
   *     bytes; not closed)
   * @return the stream; close it
   * @throws IllegalArgumentException if {@code offset} is negative or past the target's length, or
   *     {@code prefix} ends before {@code offset} bytes
   * @throws IOException if {@code prefix} cannot be read
   * @throws RepositoryRefusedException as {@link #openTarget(TargetDescription)}
   * @throws EdgeException as {@link #openTarget(TargetDescription)}
   * @throws IllegalStateException if {@link #refresh()} has not succeeded
   */
  public TargetStream openTarget(TargetDescription target, long offset, InputStream prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    Resolved r = resolve(target);
    Map<String, String> hashes = supportedHashes(r);
    if (offset < 0 || offset > r.file().length()) {
      throw new IllegalArgumentException("offset " + offset + " lies outside the " + r.file().length()
          + " bytes of target " + r.file().path());
    }
    InputStream in = transport.open(r.path(), offset, r.file().length());
    try {
      return new TargetStream(r.file().path(), r.file().length(), hashes, offset, prefix, in);
    } catch (IOException | RuntimeException e) {
      try {
        in.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The target's hashes this client can compute; refuses a target that lists none of them. */
  private static Map<String, String> supportedHashes(Resolved r) {
    Map<String, String> hashes = TargetStream.supported(r.file().hashes());
    if (hashes.isEmpty()) {
      throw new RepositoryRefusedException(Refusal.MALFORMED_METADATA, "target " + r.file().path()
          + " lists only hash algorithms this client does not support: " + r.file().hashes().keySet()
          + " (supported: sha256, sha384, sha512)");
    }
    return hashes;
  }

  @Override
  public Path download(TargetDescription target, Path destination) {
    Objects.requireNonNull(destination, "destination");
    Resolved r = resolve(target);
    TargetFile file = r.file();
    Path absolute = destination.toAbsolutePath();
    Path partial = absolute.resolveSibling(absolute.getFileName() + ".part");
    try {
      Files.createDirectories(absolute.getParent());
      transport.download(r.path(), file.length(), partial);
      verifyTarget(partial, file);
      AtomicFiles.sync(partial);
      AtomicFiles.move(partial, absolute);
      return destination;
    } catch (RepositoryRefusedException e) {
      deleteQuietly(partial);
      throw e;
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot write " + destination + " (" + e + ")",
          "check that the destination directory is writable and has space", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", file, e.toString());
    }
  }

  private static void verifyTarget(Path file, TargetFile expected) throws IOException {
    long size = Files.size(file);
    if (size != expected.length()) {
      throw new RepositoryRefusedException(Refusal.SUBSTITUTED_TARGET, "target " + expected.path()
          + " has " + size + " bytes but the metadata lists " + expected.length());
    }
    Map<String, MessageDigest> digests = new LinkedHashMap<>();
    for (String algorithm : expected.hashes().keySet()) {
      Crypto.digest(algorithm).ifPresent(d -> digests.put(algorithm, d));
    }
    if (digests.isEmpty()) {
      throw new RepositoryRefusedException(Refusal.MALFORMED_METADATA, "target " + expected.path()
          + " lists only hash algorithms this client does not support: " + expected.hashes().keySet()
          + " (supported: sha256, sha384, sha512)");
    }
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (MessageDigest d : digests.values()) {
          d.update(buffer, 0, n);
        }
      }
    }
    for (Map.Entry<String, MessageDigest> d : digests.entrySet()) {
      String actual = HexFormat.of().formatHex(d.getValue().digest());
      if (!actual.equalsIgnoreCase(expected.hashes().get(d.getKey()))) {
        throw new RepositoryRefusedException(Refusal.SUBSTITUTED_TARGET, "target " + expected.path()
            + " has " + d.getKey() + " " + actual + " but the metadata lists " + expected.hashes().get(d.getKey()));
      }
    }
  }
}
