package org.edgesdk.ota.ab;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
import java.util.function.Function;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.boot.BootControl;
import org.edgesdk.ota.boot.BootControls;
import org.edgesdk.ota.tuf.Refusal;
import org.edgesdk.ota.tuf.RepositoryRefusedException;
import org.edgesdk.ota.tuf.TargetStream;
import org.edgesdk.ota.tuf.TufClient;
import org.edgesdk.ota.tuf.internal.GzipMembers;
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
 *   <li>{@link #install}: the policy hooks run first (maintenance window, consent); then the booted
 *       slot is marked good, the state becomes {@link UpdateState#DOWNLOADING}, the inactive slot
 *       is marked unbootable, and only then is its first byte written. The target streams from the
 *       repository ({@link TufClient#openTarget(TargetDescription)}: HTTP {@code Range} or a file read, optionally
 *       throttled) through the TUF length and hash check and the decompressor (gzip member by member,
 *       xz with the optional library) straight into the slot: no copy of the image is staged
 *       anywhere. The install is a pipeline whose stages overlap: the transport receives ahead on
 *       its own thread, the calling thread hashes and decompresses, and the slot side writes,
 *       forces and reads back on three more threads (see {@code SlotSink}); all are daemon threads
 *       named {@code edgesdk-ota-*} that end before {@code install} returns or throws. Every 4 MiB
 *       of written bytes (a sixteenth of a large target, up to 16 MiB), where the decompressor holds
 *       no state (anywhere for an uncompressed target, at a gzip member boundary), a checkpoint is
 *       taken: once every byte before it is forced to the slot and read back, the target offset and
 *       hash states, the slot offset and the CRC32C of each checkpoint interval are persisted. The
 *       read-back compares each 1 MiB block with the CRC32C of the bytes as they were handed to the
 *       slot: the TUF SHA-256 proves the stream, the read-back proves the slot holds it. After the
 *       last byte the target's TUF length and hashes must match (else {@code VERIFICATION_FAILED}
 *       naming the target, the checkpoint dropped, the slot left unbootable), and the slot is forced
 *       and its last interval read back (a mismatch is {@code VERIFICATION_FAILED} naming the slot
 *       and the byte range). Only after that is the state {@link UpdateState#INSTALLED} and the slot
 *       activated (first in the boot order, full attempts).
 *   <li>{@link #resume()} at start-up: a pending activation is finished; booted into the new slot
 *       the state becomes {@link UpdateState#TRIAL}; booted elsewhere with the new slot no longer
 *       bootable means the bootloader fell back, reported as {@link UpdateState#ROLLED_BACK} with
 *       the version really running. An interrupted install stays {@link UpdateState#DOWNLOADING}:
 *       the next {@link #install} of the same target first reads back the slot's checkpointed
 *       prefix against its persisted CRC32Cs (a changed prefix is {@code VERIFICATION_FAILED} and the
 *       install after it starts over), continues at the last checkpoint and fetches only the bytes
 *       after it (a single-member gzip or an xz target has no inner checkpoint and starts over).
 *   <li>{@link #checkHealth(List)} in trial: all checks pass, the slot is marked good, the
 *       anti-rollback floor raised and the state {@link UpdateState#COMMITTED}; any fails, the slot is
 *       marked bad, the state {@link UpdateState#ROLLED_BACK} and the reboot action runs. A target
 *       that was rolled back is never installed again automatically.
 * </ol>
 *
 * <p>Step names, stable for fault-injection tests (the package-private {@code onStep} hook is
 * called with each name just before or after the durable step it names): install:
 * {@code downloading-persisted}, {@code before-mark-unbootable}, {@code marked-unbootable},
 * {@code write-progress} (after each checkpoint is persisted, repeatedly), {@code downloaded}
 * (the whole target read and its TUF length and hashes matched, before the final fsync),
 * {@code written}, {@code verified} (the last interval read back), {@code installed-persisted},
 * {@code activated}; resume: {@code trial-persisted}, {@code rolled-back-persisted}; commit:
 * {@code before-mark-good}, {@code marked-good}, {@code floor-raised}, {@code committed-persisted};
 * rollback: {@code before-mark-bad}, {@code marked-bad}, {@code rolled-back-persisted}.
 *
 * <p>Memory stays constant whatever the image size (a 1 GiB image installs with {@code -Xmx64m}):
 * a fixed number of 1 MiB buffers in flight (the HTTP transport's ring of eight, read ahead and
 * lent to the slot writer without a copy for an uncompressed target; otherwise four more between
 * the calling thread and the slot writer; one read-back buffer), no copy of the image on disk or
 * in memory. Step callbacks may run on the checkpoint thread ({@code write-progress}); the others run
 * on the calling thread, in the order above.
 *
 * <p>Not thread-safe; one updater per device.
 */
public final class AbUpdater {
  private static final int BUFFER = 1 << 20;
  /** Written bytes between checkpoints (fsync of the slot, persisted offsets and hash states). */
  static final long CHECKPOINT_EVERY = 4L << 20;
  /** The most bytes between checkpoints, for large targets (a sixteenth of the target, at most this). */
  static final long CHECKPOINT_EVERY_MAX = 16L << 20;

  /** Bytes written between two checkpoints of a target of {@code length} bytes. */
  static long checkpointInterval(long length) {
    return Math.max(CHECKPOINT_EVERY, Math.min(CHECKPOINT_EVERY_MAX, length / 16));
  }

  private final DeviceConfig config;
  private final HostRoot host;
  private final TufClient client;
  private final BootControl boot;
  private final Runnable reboot;
  private final Consumer<String> step;
  private final Path stateDir;
  private final Clock clock;
  private final @Nullable MaintenanceWindow window;
  private final Function<TargetDescription, Consent> consent;
  private final long bandwidth;
  private final Sleeper sleeper;
  private final SlotSink.Faults faults;

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
    this.clock = b.clock;
    this.window = b.window;
    this.consent = b.consent;
    this.bandwidth = b.bandwidth;
    this.sleeper = b.sleeper;
    this.faults = b.faults;
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
    private Clock clock = Clock.systemUTC();
    private @Nullable MaintenanceWindow window;
    private Function<TargetDescription, Consent> consent = t -> Consent.proceed();
    private long bandwidth;
    private Sleeper sleeper = Sleeper.system();
    private SlotSink.Faults faults = SlotSink.Faults.NONE;

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

    /**
     * Sets the clock the maintenance window, deferrals and the bandwidth limit read. If this method
     * is not invoked, the system UTC clock is used.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Lets installs start only inside a daily maintenance window; outside it,
     * {@link AbUpdater#install} throws {@code NOT_APPLIED} naming the next opening. An install
     * that started inside the window runs to its end. If this method is not invoked, installs
     * start at any time.
     *
     * @param window the window
     * @return this builder
     */
    public Builder maintenanceWindow(MaintenanceWindow window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Sets the callback asked before a new install downloads anything: {@link Consent#proceed()},
     * {@link Consent#deferUntil(java.time.Instant)} (persisted: until then the same target is
     * refused without asking) or {@link Consent#decline()}. The continuation of an interrupted
     * install is not asked again. If this method is not invoked, every install proceeds.
     *
     * @param consent the callback; it runs on the thread that calls {@code install}
     * @return this builder
     */
    public Builder consent(Function<TargetDescription, Consent> consent) {
      this.consent = Objects.requireNonNull(consent, "consent");
      return this;
    }

    /**
     * Limits the download to an average of {@code bytesPerSecond} (a token bucket with bursts of
     * at most one second's worth, 1 MiB at most). A limit below the transport's minimum target
     * rate ({@link org.edgesdk.ota.tuf.Timeouts#minimumTargetRate()}) makes large targets overrun
     * their deadline. If this method is not invoked, the download is not limited.
     *
     * @param bytesPerSecond the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytesPerSecond} is below 1
     */
    public Builder bandwidthLimit(long bytesPerSecond) {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("bandwidthLimit must be >= 1 byte/s but was " + bytesPerSecond);
      }
      this.bandwidth = bytesPerSecond;
      return this;
    }

    /**
     * Sets how the bandwidth limit waits. If this method is not invoked, {@link Sleeper#system()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Test seam: called with a step name before each durable step (fault injection). */
    Builder onStep(Consumer<String> step) {
      this.step = Objects.requireNonNull(step, "step");
      return this;
    }

    /** Test seam: device faults on the slot writer thread (a failing write, a changed region). */
    Builder slotFaults(SlotSink.Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
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
   * of the same target from its last checkpoint, fetching only the bytes after it.
   *
   * <p>Before anything is written, the policy hooks run: outside the
   * {@linkplain Builder#maintenanceWindow maintenance window} the install is refused; for a new
   * install (not the continuation of an interrupted one) the {@linkplain Builder#consent consent
   * callback} is asked, and a deferral it gave earlier for this target is honoured without asking
   * again.
   *
   * @param target a target from {@link #chooseTarget(Optional)}
   * @return the slot written
   * @throws IllegalStateException if a reboot into an installed update or a trial is pending
   * @throws EdgeException {@code NOT_APPLIED} outside the maintenance window (naming the next
   *     opening) or when the application deferred or declined, {@code VERIFICATION_FAILED} if the
   *     target does not match its TUF length and hashes (naming the target; the slot stays
   *     unbootable) or the read-back does not match, {@code IO_ERROR} if the slot cannot be written
   *     or the transfer fails (run install again to resume), {@code UNSUPPORTED} for a compression
   *     this build cannot decompress
   */
  public String install(TargetDescription target) {
    PersistedState s = PersistedState.load(stateDir);
    String booted = requireBooted();
    if (s.state == UpdateState.INSTALLED || s.state == UpdateState.TRIAL) {
      throw new IllegalStateException("update " + s.target + " is " + s.state
          + "; reboot and commit or roll it back before installing another");
    }
    checkCompression(target);
    boolean resuming = s.state == UpdateState.DOWNLOADING && target.name().equals(s.target);
    checkWindow(target);
    if (!resuming) {
      askConsent(target, s);
    }
    String slot = inactive(booted);
    if (!resuming) {
      boot.markGood(booted); // the running slot is the known-good fallback
      s.state = UpdateState.DOWNLOADING;
      s.target = target.name();
      s.version = target.releaseVersion().orElse(null);
      s.securityVersion = target.securityVersion();
      s.slot = slot;
      s.from = booted;
      s.clearProgress();
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
    Path slotPath = config.slots().get(slot);
    new SlotWriter(target, slotPath, s).run();
    step.accept("written");
    step.accept("verified"); // each region was read back and compared after it was forced

    s.state = UpdateState.INSTALLED;
    s.save(stateDir);
    step.accept("installed-persisted");
    activate(s);
    return slot;
  }

  private void checkCompression(TargetDescription target) {
    if (target.compression() == org.edgesdk.api.ota.Compression.XZ && !XzSupport.available()) {
      throw new EdgeException(ErrorCode.UNSUPPORTED,
          "target " + target.name() + " is xz-compressed but org.tukaani:xz is not on the class or module path",
          "add org.tukaani:xz 1.12 to the application (on the module path, --add-modules org.tukaani.xz), "
              + "or publish the image uncompressed or gzip-compressed");
    }
    if (target.compression() == org.edgesdk.api.ota.Compression.ZSTD) {
      throw new EdgeException(ErrorCode.UNSUPPORTED,
          "target " + target.name() + " is zstd-compressed; this SDK has no pure-Java zstd decoder",
          "publish the image uncompressed, gzip- or xz-compressed");
    }
  }

  private void checkWindow(TargetDescription target) {
    if (window != null && !window.contains(clock.instant())) {
      Instant next = window.nextOpening(clock.instant());
      throw new EdgeException(ErrorCode.NOT_APPLIED, "install of " + target.name() + " refused at "
          + clock.instant() + ": outside the maintenance window (daily " + window.start() + " for "
          + window.length() + " in " + window.zone() + "); the next window opens at " + next,
          "run install again inside the window, from " + next);
    }
  }

  private void askConsent(TargetDescription target, PersistedState s) {
    Instant now = clock.instant();
    if (target.name().equals(s.deferredTarget) && s.deferredUntil != null && now.isBefore(s.deferredUntil)) {
      throw new EdgeException(ErrorCode.NOT_APPLIED, "install of " + target.name()
          + " was deferred by the application until " + s.deferredUntil,
          "run install again after " + s.deferredUntil + "; the application is asked again then");
    }
    Consent answer = Objects.requireNonNull(consent.apply(target), "the consent callback returned null");
    if (answer instanceof Consent.Defer d) {
      s.deferredTarget = target.name();
      s.deferredUntil = d.until();
      s.save(stateDir);
      throw new EdgeException(ErrorCode.NOT_APPLIED, "install of " + target.name()
          + " deferred by the application until " + d.until(),
          "run install again after " + d.until());
    }
    if (answer instanceof Consent.Decline) {
      throw new EdgeException(ErrorCode.NOT_APPLIED, "install of " + target.name() + " declined by the application",
          "run install again when the application agrees");
    }
    if (s.deferredTarget != null) {
      s.deferredTarget = null;
      s.deferredUntil = null;
      s.save(stateDir);
    }
  }

  private void activate(PersistedState s) {
    boot.activate(Objects.requireNonNull(s.slot));
    step.accept("activated");
    s.activated = true;
    s.save(stateDir);
  }

  /**
   * Streams the verified target into the slot as a pipeline, so the network, the CPU and the disk
   * work at the same time: the transport's reader thread receives; the installing thread (this
   * one) runs the TUF length and hash check, the optional throttle and the decompressor and hands
   * 1 MiB blocks to the {@link SlotSink}, whose threads write them, force each checkpoint interval,
   * read it back against the blocks' CRC32Cs and only then persist the checkpoint. Checkpoints
   * every {@link #CHECKPOINT_EVERY} bytes (more for large targets) where the decompressor has no
   * state.
   */
  private final class SlotWriter {
    private final TargetDescription target;
    private final Path slotPath;
    private final PersistedState s;
    private long at;
    private long lastCheckpoint;
    /**
     * Bytes written between checkpoints: 4 MiB, or a sixteenth of a large target up to 16 MiB, so
     * a 256 MiB image takes 16 fsyncs instead of 64 and a power cut costs at most 16 MiB again.
     */
    private final long checkpointEvery;
    private long capacity = Long.MAX_VALUE; // a block device's size; a file slot grows

    SlotWriter(TargetDescription target, Path slotPath, PersistedState s) {
      this.target = target;
      this.slotPath = slotPath;
      this.s = s;
      this.checkpointEvery = checkpointInterval(target.length());
    }

    void run() {
      deleteLegacyStaging();
      TargetStream.Checkpoint from = TargetStream.Checkpoint.start();
      if (s.fetched > 0 && validRegions()) {
        from = new TargetStream.Checkpoint(s.fetched, s.fetchedHashes);
        at = s.offset;
      } else {
        s.clearProgress();
      }
      lastCheckpoint = at;
      try (TargetStream ts = open(from);
          FileChannel out = FileChannel.open(slotPath, StandardOpenOption.WRITE, StandardOpenOption.READ,
              StandardOpenOption.CREATE)) {
        if (!Files.isRegularFile(slotPath)) {
          capacity = out.size(); // FileChannel.size() is a block device's real size (Files.size() says 0)
          if (target.compression() == org.edgesdk.api.ota.Compression.NONE && target.length() > capacity) {
            throw tooSmall(target.length());
          }
        }
        try (SlotSink sink = new SlotSink(slotPath, out, capacity, at > 0 ? s.regions : List.of(), this::persist,
            faults, this::tooSmall)) {
          InputStream source = bandwidth > 0 ? new Throttle(ts, bandwidth, clock, sleeper) : ts;
          switch (target.compression()) {
            case NONE -> copy(ts, source, sink);
            case GZIP -> gunzip(ts, source, sink);
            case XZ -> unxz(ts, source, sink);
            case ZSTD -> throw new IllegalStateException("zstd is refused before writing");
          }
          ts.finish(); // the whole target's TUF length and hashes: throws unless they match
          sink.awaitCheckpoints(); // steps stay in order: every write-progress before downloaded
          step.accept("downloaded");
          sink.finish(at); // truncate a file slot, force, read back the last region
        }
      } catch (RepositoryRefusedException e) {
        if (e.refusal() != Refusal.SLOW_RETRIEVAL) {
          s.clearProgress(); // the fetched bytes are not the target: fetch everything again next time
          s.save(stateDir);
        }
        throw e;
      } catch (EdgeException e) {
        if (e.code() == ErrorCode.VERIFICATION_FAILED || e.code() == ErrorCode.CORRUPT_DATA) {
          // the slot does not read back, or the verified target does not decompress: start over
          s.clearProgress();
          s.save(stateDir);
        }
        throw e;
      } catch (IOException e) {
        throw new EdgeException(ErrorCode.IO_ERROR, "cannot install target " + target.name() + " into slot "
            + slotPath + ": " + e.getMessage(), "check the network and the slot's device; run install again "
                + "to resume from " + s.offset + " bytes written", e);
      }
      s.clearProgress();
      s.offset = at;
      s.imageLength = at;
      // the written image's SHA-256 is the target's when uncompressed (verified by ts.finish() above)
      s.imageSha256 = target.compression() == org.edgesdk.api.ota.Compression.NONE ? target.hashes().get("sha256") : null;
      s.save(stateDir);
    }

    /** Whether the persisted regions describe the checkpoint's written prefix. */
    private boolean validRegions() {
      long end = 0;
      for (SlotSink.Region r : s.regions) {
        if (r.end() <= end) {
          return false;
        }
        end = r.end();
      }
      return !s.regions.isEmpty() && end == s.offset;
    }

    /** On the writer thread, once everything before the checkpoint is forced and read back. */
    private void persist(Object token, List<SlotSink.Region> regions) {
      Mark m = (Mark) token;
      s.offset = m.written();
      s.fetched = m.checkpoint().offset();
      s.fetchedHashes = m.checkpoint().digestStates();
      s.regions = regions;
      s.save(stateDir);
      step.accept("write-progress");
    }

    /** Format-1 installs staged the whole image in {@code download/}; nothing reads it any more. */
    private void deleteLegacyStaging() {
      Path legacy = stateDir.resolve("download");
      if (!Files.isDirectory(legacy)) {
        return;
      }
      try (java.util.stream.Stream<Path> files = Files.list(legacy)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(file);
        }
        Files.deleteIfExists(legacy);
      } catch (IOException e) {
        // a leftover staged image only costs space; the install does not need it
      }
    }

    private TargetStream open(TargetStream.Checkpoint from) throws IOException {
      // An uncompressed target is its own local copy in the slot: replay mode hashes with the JDK's
      // fast digests and a resume re-hashes the slot's first bytes instead of restoring a state.
      boolean replay = target.compression() == org.edgesdk.api.ota.Compression.NONE
          && (from.offset() == 0 || from.digestStates().isEmpty());
      try {
        if (!replay) {
          return client.openTarget(target, from);
        }
        if (from.offset() == 0) {
          return client.openTarget(target, 0, InputStream.nullInputStream());
        }
        try (InputStream prefix = new BufferedInputStream(Files.newInputStream(slotPath), BUFFER)) {
          return client.openTarget(target, from.offset(), prefix);
        }
      } catch (IllegalArgumentException e) {
        // a checkpoint that does not fit this target (changed metadata, a shorter slot): start over
        s.clearProgress();
        s.save(stateDir);
        at = 0;
        lastCheckpoint = 0;
        return replay ? client.openTarget(target, 0, InputStream.nullInputStream()) : client.openTarget(target);
      }
    }

    private EdgeException tooSmall(long needed) {
      return new EdgeException(ErrorCode.IO_ERROR, "target " + target.name() + " needs "
          + (needed == Long.MAX_VALUE ? "more than " + capacity : needed) + " bytes but slot " + slotPath
          + " holds only " + capacity + " bytes",
          "give the slot a device at least as large as the image, or publish an image that fits; "
              + "the slot stays unbootable and the booted slot keeps running");
    }

    private void hand(SlotSink sink, byte[] buf, int n) throws IOException {
      sink.write(buf, n, at);
      at += n;
    }

    private void checkpoint(SlotSink sink, TargetStream.Checkpoint c) throws IOException {
      sink.checkpoint(at, new Mark(at, c));
      lastCheckpoint = at;
    }

    private void copy(TargetStream ts, InputStream source, SlotSink sink) throws IOException {
      if (source == ts && ts.lendsChunks()) {
        copyChunks(ts, sink);
        return;
      }
      while (true) {
        byte[] buf = sink.buffer();
        int n = source.readNBytes(buf, 0, buf.length); // full blocks: fewer hand-overs and CRCs
        if (n == 0) {
          sink.recycle(buf);
          return;
        }
        hand(sink, buf, n);
        if (at - lastCheckpoint >= checkpointEvery && at < ts.length()) {
          checkpoint(sink, ts.checkpoint());
        }
      }
    }

    /**
     * The transport's buffers straight to the slot writer: hashed here, written there, and given
     * back to the transport once written, with no copy in between.
     */
    private void copyChunks(TargetStream ts, SlotSink sink) throws IOException {
      TargetStream.Chunk c;
      while ((c = ts.readChunk(SlotSink.BLOCK)) != null) {
        sink.write(c, at);
        at += c.length();
        if (at - lastCheckpoint >= checkpointEvery && at < ts.length()) {
          checkpoint(sink, ts.checkpoint());
        }
      }
    }

    private void gunzip(TargetStream ts, InputStream source, SlotSink sink) throws IOException {
      try (GzipMembers.Reader gz = new GzipMembers.Reader(source, "target " + target.name())) {
        while (true) {
          byte[] buf = sink.buffer();
          int n = gz.read(buf);
          if (n < 0) {
            sink.recycle(buf);
            return;
          }
          if (n == 0) {
            sink.recycle(buf);
            continue;
          }
          hand(sink, buf, n);
          if (gz.atBoundary() && at - lastCheckpoint >= checkpointEvery && ts.position() - gz.unconsumed() < ts.length()) {
            checkpoint(sink, ts.checkpoint(gz.unconsumed()));
          }
        }
      } catch (java.util.zip.ZipException e) {
        throw notCompressed(ts, "gzip", e);
      }
    }

    private void unxz(TargetStream ts, InputStream source, SlotSink sink) throws IOException {
      try (InputStream xz = XzSupport.decompress(source)) {
        while (true) {
          byte[] buf = sink.buffer();
          int n = xz.readNBytes(buf, 0, buf.length);
          if (n == 0) {
            sink.recycle(buf);
            return;
          }
          hand(sink, buf, n);
        }
      } catch (IOException e) {
        if (e instanceof java.io.InterruptedIOException) {
          throw e;
        }
        throw notCompressed(ts, "xz", e);
      }
    }

    /** A decoding error: the substituted target the TUF check finds at the end, or a bad image. */
    private EdgeException notCompressed(TargetStream ts, String codec, IOException e) throws IOException {
      ts.finish(); // throws RepositoryRefusedException (progress cleared by run) if the bytes are not the target
      return new EdgeException(ErrorCode.CORRUPT_DATA, "target " + target.name() + " matches its TUF hashes but is not valid "
          + codec + ": " + e.getMessage(), "republish the image with a working compressor; the slot stays unbootable", e);
    }
  }

  /** A checkpoint request: the slot offset and the target's checkpoint at that point. */
  private record Mark(long written, TargetStream.Checkpoint checkpoint) {}

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
