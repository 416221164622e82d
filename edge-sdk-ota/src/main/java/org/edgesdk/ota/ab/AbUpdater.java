package org.edgesdk.ota.ab;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.boot.BootControl;
import org.edgesdk.ota.boot.BootControls;
import org.edgesdk.ota.tuf.TufClient;
import org.jspecify.annotations.Nullable;

/**
 * The A/B update client: installs a TUF-verified target into the inactive slot, switches the
 * bootloader, and after the reboot commits or rolls back by the application's health checks.
 *
 * <p>Every transition is persisted atomically in the state directory before or after the one
 * bootloader write it pairs with, in an order that keeps a bootable, known-good slot at every
 * moment:
 *
 * <ol>
 *   <li>{@link #install}: the booted slot is marked good, the state becomes
 *       {@link UpdateState#DOWNLOADING}, the inactive slot is marked unbootable, and only then is
 *       its first byte written. The verified target (staged in the state directory, downloaded with
 *       HTTP {@code Range} resume) is decompressed into the slot, hashed while writing, fsynced
 *       every few MiB with the durable offset persisted; then the slot is read back and its hash
 *       compared. Only after that is the state {@link UpdateState#INSTALLED} and the slot activated
 *       (first in the boot order, full attempts).
 *   <li>{@link #resume()} at start-up: an interrupted install continues from the persisted offset
 *       (the bytes below it are re-hashed from the staged target, not fetched again); a pending
 *       activation is finished; booted into the new slot the state becomes
 *       {@link UpdateState#TRIAL}; booted elsewhere with the new slot no longer bootable means the
 *       bootloader fell back, reported as {@link UpdateState#ROLLED_BACK} with the version really
 *       running.
 *   <li>{@link #checkHealth(List)} in trial: all checks pass, the slot is marked good, the
 *       anti-rollback floor raised and the state {@link UpdateState#COMMITTED}; any fails, the slot is
 *       marked bad, the state {@link UpdateState#ROLLED_BACK} and the reboot action runs. A target
 *       that was rolled back is never installed again automatically.
 * </ol>
 *
 * <p>Not thread-safe; one updater per device.
 */
public final class AbUpdater {
  private static final int BUFFER = 1 << 20;
  private static final long SYNC_EVERY = 8L << 20;

  private final DeviceConfig config;
  private final HostRoot host;
  private final TufClient client;
  private final BootControl boot;
  private final Runnable reboot;
  private final Consumer<String> step;
  private final Path stateDir;

  private AbUpdater(Builder b) {
    this.config = b.config;
    this.host = b.host;
    this.stateDir = config.stateDirectory();
    this.client = b.client != null ? b.client : TufClient.builder()
        .repository(config.repository())
        .trustedRoot(config.trustedRoot())
        .stateDirectory(stateDir.resolve("tuf"))
        .build();
    this.boot = b.boot != null ? b.boot : BootControls.open(config.backend(), config.bootSettings());
    this.reboot = b.reboot;
    this.step = b.step;
  }

  /**
   * Starts a builder.
   *
   * @param config the device configuration
   * @return a builder
   */
  public static Builder builder(DeviceConfig config) {
    return new Builder(config);
  }

  /** Builds an {@link AbUpdater}. */
  public static final class Builder {
    private final DeviceConfig config;
    private HostRoot host = HostRoot.system();
    private @Nullable TufClient client;
    private @Nullable BootControl boot;
    private Runnable reboot = () -> {};
    private Consumer<String> step = s -> {};

    private Builder(DeviceConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Sets the host root whose {@code /proc/cmdline} names the booted slot. If this method is not
     * invoked, the running system's root is used.
     *
     * @param host the host root
     * @return this builder
     */
    public Builder hostRoot(HostRoot host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Sets the repository client. If this method is not invoked, one is built from the
     * configuration's repository, trusted root and {@code stateDirectory/tuf}.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(TufClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Sets the boot control. If this method is not invoked, the configuration's backend is opened.
     *
     * @param boot the boot control
     * @return this builder
     */
    public Builder bootControl(BootControl boot) {
      this.boot = Objects.requireNonNull(boot, "boot");
      return this;
    }

    /**
     * Sets what runs after a rollback to boot the previous slot. If this method is not invoked,
     * nothing runs and the application reboots when it sees fit.
     *
     * @param reboot the reboot action, for example one that runs {@code systemctl reboot}
     * @return this builder
     */
    public Builder rebootAction(Runnable reboot) {
      this.reboot = Objects.requireNonNull(reboot, "reboot");
      return this;
    }

    /** Test seam: called with a step name before each durable step (fault injection). */
    Builder onStep(Consumer<String> step) {
      this.step = Objects.requireNonNull(step, "step");
      return this;
    }

    /**
     * Builds the updater.
     *
     * @return the updater
     */
    public AbUpdater build() {
      return new AbUpdater(this);
    }
  }

  /**
   * Returns the boot control in use.
   *
   * @return the boot control
   */
  public BootControl bootControl() {
    return boot;
  }

  /**
   * Returns the booted slot from the configuration or the kernel command line.
   *
   * @return the booted slot, if known
   */
  public Optional<String> bootedSlot() {
    return BootedSlot.detect(host, config);
  }

  /**
   * Returns what the device runs and where the update stands.
   *
   * @return the status
   */
  public UpdateStatus status() {
    PersistedState s = PersistedState.load(stateDir);
    Map<String, SlotStatus> slots = new LinkedHashMap<>();
    for (String name : config.slotNames()) {
      String st = s.slotState.getOrDefault(name, "unknown");
      if (s.state == UpdateState.TRIAL && name.equals(s.slot)) {
        st = "trial";
      }
      Optional<String> version = Optional.ofNullable(s.slotVersion.get(name));
      if (name.equals(s.slot) && s.state == UpdateState.TRIAL) {
        version = Optional.ofNullable(s.version);
      }
      slots.put(name, new SlotStatus(st, version));
    }
    return new UpdateStatus(bootedSlot(), boot.primary(), slots, s.state, Optional.ofNullable(s.target),
        s.state == UpdateState.DOWNLOADING ? OptionalLong.of(s.offset) : OptionalLong.empty());
  }

  private String requireBooted() {
    return bootedSlot().orElseThrow(() -> new EdgeException(ErrorCode.NOT_FOUND,
        "cannot tell the booted slot: " + host.proc().resolve("cmdline") + " has no rauc.slot= or root= naming one of "
            + config.slots(),
        "add rauc.slot=NAME to the kernel command line or set bootedSlot in the device configuration"));
  }

  private String inactive(String booted) {
    return config.slotNames().stream().filter(s -> !s.equals(booted)).findFirst().orElseThrow();
  }

  /**
   * Chooses a target to install: the named one, or else the target with the highest security
   * version (then name) that runs on this device's compatible string, is not what the booted slot
   * runs and has not been rolled back before.
   *
   * @param name the target's name, or empty to choose
   * @return the target, or empty if there is nothing new to install
   * @throws EdgeException {@code NOT_FOUND} if a named target is not listed, {@code NOT_APPLIED} if
   *     it does not run on this device or was rolled back before
   */
  public Optional<TargetDescription> chooseTarget(Optional<String> name) {
    client.refresh();
    PersistedState s = PersistedState.load(stateDir);
    if (name.isPresent()) {
      TargetDescription t = client.target(name.get()).orElseThrow(() -> new EdgeException(ErrorCode.NOT_FOUND,
          "the repository lists no target '" + name.get() + "'", "run 'edgectl ota check' to list the targets"));
      if (!t.runsOn(config.compatible())) {
        throw new EdgeException(ErrorCode.NOT_APPLIED, "target " + t.name() + " runs on " + t.hardware()
            + ", not on '" + config.compatible() + "'", "choose a target built for this hardware");
      }
      if (s.failed.contains(t.name())) {
        throw new EdgeException(ErrorCode.NOT_APPLIED, "target " + t.name() + " was rolled back on this device before",
            "publish a fixed release under a new name; a failed release is not installed again");
      }
      return Optional.of(t);
    }
    String runningVersion = bootedSlot().map(s.slotVersion::get).orElse(null);
    return client.targets().stream()
        .filter(t -> t.runsOn(config.compatible()))
        .filter(t -> t.slotClass().map("rootfs"::equals).orElse(true))
        .filter(t -> !s.failed.contains(t.name()))
        .filter(t -> runningVersion == null || !t.releaseVersion().map(runningVersion::equals).orElse(false))
        .filter(t -> t.securityVersion() >= client.securityFloor())
        .max(Comparator.comparingLong(TargetDescription::securityVersion).thenComparing(TargetDescription::name));
  }

  /**
   * Installs a target into the inactive slot and makes it primary; resumes an interrupted install
   * of the same target from its persisted offset.
   *
   * @param target a target from {@link #chooseTarget(Optional)}
   * @return the slot written
   * @throws IllegalStateException if a reboot into an installed update or a trial is pending
   * @throws EdgeException {@code VERIFICATION_FAILED} if the download or the read-back does not
   *     match, {@code IO_ERROR} if the slot cannot be written, {@code UNSUPPORTED} for a compression
   *     this build cannot decompress
   */
  public String install(TargetDescription target) {
    PersistedState s = PersistedState.load(stateDir);
    String booted = requireBooted();
    if (s.state == UpdateState.INSTALLED || s.state == UpdateState.TRIAL) {
      throw new IllegalStateException("update " + s.target + " is " + s.state
          + "; reboot and commit or roll it back before installing another");
    }
    boolean resuming = s.state == UpdateState.DOWNLOADING && target.name().equals(s.target);
    String slot = inactive(booted);
    if (!resuming) {
      boot.markGood(booted); // the running slot is the known-good fallback
      s.state = UpdateState.DOWNLOADING;
      s.target = target.name();
      s.version = target.releaseVersion().orElse(null);
      s.securityVersion = target.securityVersion();
      s.slot = slot;
      s.from = booted;
      s.offset = 0;
      s.imageSha256 = null;
      s.imageLength = -1;
      s.activated = false;
      step.accept("downloading-persisted");
      s.save(stateDir);
    } else if (!slot.equals(s.slot)) {
      throw new IllegalStateException("interrupted install wrote slot " + s.slot + " but slot " + booted + " is booted");
    }
    step.accept("before-mark-unbootable");
    boot.markUnbootable(slot); // before the first byte, every time (idempotent)
    s.slotState.put(slot, "unknown");
    s.slotVersion.remove(slot);
    s.save(stateDir);
    step.accept("marked-unbootable");
    Path staged = stateDir.resolve("download").resolve(target.hashes().values().iterator().next() + ".img");
    if (!Files.exists(staged)) {
      client.download(target, staged);
    }
    step.accept("downloaded");
    writeSlot(target, staged, config.slots().get(slot), s);
    step.accept("written");
    verifySlot(config.slots().get(slot), s);
    step.accept("verified");
    s.state = UpdateState.INSTALLED;
    s.save(stateDir);
    step.accept("installed-persisted");
    activate(s);
    try {
      Files.deleteIfExists(staged);
    } catch (IOException e) {
      // a leftover staged image only costs space; the next install of another target replaces it
    }
    return slot;
  }

  private void activate(PersistedState s) {
    boot.activate(Objects.requireNonNull(s.slot));
    step.accept("activated");
    s.activated = true;
    s.save(stateDir);
  }

  private static InputStream open(Path staged, TargetDescription target) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(staged), BUFFER);
    return switch (target.compression()) {
      case NONE -> raw;
      case GZIP -> new GZIPInputStream(raw, BUFFER);
      case XZ, ZSTD -> {
        raw.close();
        throw new EdgeException(ErrorCode.UNSUPPORTED,
            "target " + target.name() + " is " + target.compression().metadataName() + "-compressed",
            "publish the image uncompressed or gzip-compressed; this build decompresses gzip only");
      }
    };
  }

  private void writeSlot(TargetDescription target, Path staged, Path slotPath, PersistedState s) {
    MessageDigest sha = sha256();
    byte[] buf = new byte[BUFFER];
    long pos = 0;
    long synced = s.offset;
    try (InputStream in = open(staged, target);
        FileChannel out = FileChannel.open(slotPath, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        long end = pos + n;
        if (end > s.offset) { // bytes below the persisted offset are on the slot already
          int skip = (int) Math.max(0, s.offset - pos);
          ByteBuffer bb = ByteBuffer.wrap(buf, skip, n - skip);
          long at = pos + skip;
          while (bb.hasRemaining()) {
            at += out.write(bb, at);
          }
          if (end - synced >= SYNC_EVERY) {
            out.force(false);
            s.offset = end;
            synced = end;
            s.save(stateDir);
            step.accept("write-progress");
          }
        }
        pos = end;
      }
      if (Files.isRegularFile(slotPath) && out.size() > pos) {
        out.truncate(pos);
      }
      out.force(true);
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot write slot " + slotPath + ": " + e.getMessage(),
          "check the slot's device and permissions; the install resumes from " + s.offset + " bytes", e);
    }
    s.offset = pos;
    s.imageLength = pos;
    s.imageSha256 = HexFormat.of().formatHex(sha.digest());
    s.save(stateDir);
  }

  private void verifySlot(Path slotPath, PersistedState s) {
    MessageDigest sha = sha256();
    ByteBuffer buf = ByteBuffer.allocate(BUFFER);
    long pos = 0;
    try (FileChannel in = FileChannel.open(slotPath, StandardOpenOption.READ)) {
      while (pos < s.imageLength) {
        buf.clear();
        buf.limit((int) Math.min(BUFFER, s.imageLength - pos));
        int n = in.read(buf, pos);
        if (n < 0) {
          break;
        }
        sha.update(buf.array(), 0, n);
        pos += n;
      }
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read back slot " + slotPath + ": " + e.getMessage(),
          "check the slot's device", e);
    }
    String read = HexFormat.of().formatHex(sha.digest());
    if (pos != s.imageLength || !read.equals(s.imageSha256)) {
      s.offset = 0; // rewrite everything on the next attempt
      s.save(stateDir);
      throw new EdgeException(ErrorCode.VERIFICATION_FAILED, "slot " + slotPath + " reads back " + pos
          + " bytes with SHA-256 " + read + " but " + s.imageLength + " bytes with " + s.imageSha256 + " were written",
          "the storage may be failing; run install again (it rewrites the slot), or check the device");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /**
   * Brings the state machine up to date after a start-up or reboot: finishes a pending activation,
   * enters {@link UpdateState#TRIAL} when booted into the new slot, or reports
   * {@link UpdateState#ROLLED_BACK} when the bootloader fell back. An interrupted download is left
   * in {@link UpdateState#DOWNLOADING} for {@link #install} to continue.
   *
   * @return the status after the transition
   */
  public UpdateStatus resume() {
    PersistedState s = PersistedState.load(stateDir);
    Optional<String> booted = bootedSlot();
    if (s.state == UpdateState.INSTALLED && !s.activated) {
      activate(s);
    }
    if (booted.isPresent() && s.slot != null) {
      boolean onNew = booted.get().equals(s.slot);
      if (s.state == UpdateState.INSTALLED && onNew) {
        s.state = UpdateState.TRIAL;
        s.save(stateDir);
        step.accept("trial-persisted");
      } else if ((s.state == UpdateState.INSTALLED || s.state == UpdateState.TRIAL) && !onNew
          && !boot.state(s.slot).bootable()) {
        // the new slot never came up (attempts ran out) or died in trial: the bootloader fell back
        rolledBack(s, "bootloader fell back to " + booted.get());
      } else if (s.state == UpdateState.TRIAL && !onNew) {
        boot.markBad(s.slot);
        rolledBack(s, "booted " + booted.get() + " during trial");
      }
    }
    return status();
  }

  private void rolledBack(PersistedState s, String why) {
    s.state = UpdateState.ROLLED_BACK;
    if (s.target != null) {
      s.failed.add(s.target);
    }
    s.slotState.put(Objects.requireNonNull(s.slot), "bad");
    s.slotVersion.remove(s.slot);
    s.save(stateDir);
    step.accept("rolled-back-persisted");
  }

  /**
   * Runs the application's health checks in trial and commits when all pass, else rolls back.
   *
   * @param checks the checks; each must return {@code true} within its deadline
   * @return {@code true} if committed, {@code false} if rolled back
   * @throws IllegalStateException unless the update is in {@link UpdateState#TRIAL}
   */
  public boolean checkHealth(List<HealthCheck> checks) {
    requireTrial();
    List<String> failures = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "edgesdk-health-check");
      t.setDaemon(true);
      return t;
    });
    try {
      for (HealthCheck c : checks) {
        Future<Boolean> f = pool.submit(c.check());
        try {
          if (!Boolean.TRUE.equals(f.get(c.deadline().toNanos(), TimeUnit.NANOSECONDS))) {
            failures.add(c.name() + ": failed");
          }
        } catch (TimeoutException e) {
          f.cancel(true);
          failures.add(c.name() + ": no answer within " + c.deadline());
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(c.name() + ": " + e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failures.add(c.name() + ": interrupted");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (failures.isEmpty()) {
      commit();
      return true;
    }
    rollback();
    return false;
  }

  private PersistedState requireTrial() {
    PersistedState s = PersistedState.load(stateDir);
    if (s.state != UpdateState.TRIAL) {
      throw new IllegalStateException("no update in trial (state " + s.state + "); call resume() after the reboot");
    }
    return s;
  }

  /**
   * Commits the update in trial: marks its slot good, raises the anti-rollback floor to the
   * target's security version, and records the slot's version.
   *
   * @throws IllegalStateException unless the update is in {@link UpdateState#TRIAL}
   */
  public void commit() {
    PersistedState s = requireTrial();
    step.accept("before-mark-good");
    boot.markGood(Objects.requireNonNull(s.slot));
    step.accept("marked-good");
    client.raiseSecurityFloor(s.securityVersion); // only on commit, never before
    step.accept("floor-raised");
    s.state = UpdateState.COMMITTED;
    s.slotState.put(s.slot, "good");
    if (s.version != null) {
      s.slotVersion.put(s.slot, s.version);
    }
    s.save(stateDir);
    step.accept("committed-persisted");
  }

  /**
   * Rolls back the update in trial: marks its slot bad, makes the previous slot primary, records
   * the target as failed (never installed again automatically) and runs the reboot action.
   *
   * @throws IllegalStateException unless the update is in {@link UpdateState#TRIAL}
   */
  public void rollback() {
    PersistedState s = requireTrial();
    step.accept("before-mark-bad");
    boot.markBad(Objects.requireNonNull(s.slot));
    step.accept("marked-bad");
    boot.markGood(Objects.requireNonNull(s.from));
    rolledBack(s, "health checks failed");
    reboot.run();
  }
}
