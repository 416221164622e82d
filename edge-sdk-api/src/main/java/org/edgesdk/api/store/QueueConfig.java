package org.edgesdk.api.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration of a {@link DurableQueue}. Immutable; build one with {@link #builder(Path)}, whose
 * methods document the defaults.
 */
public final class QueueConfig {
  private final Path directory;
  private final Duration commitInterval;
  private final Duration maxSyncDelay;
  private final int maxAttempts;
  private final String deadLetterLane;
  private final long maxBytes;
  private final int maxMessageBytes;
  private final Map<String, LaneConfig> lanes;
  private final Set<String> cursors;
  private final boolean startFreshIfUnreadable;
  private final Clock clock;
  private final Ticker ticker;

  private QueueConfig(Builder b) {
    this.directory = b.directory;
    this.commitInterval = b.commitInterval;
    this.maxSyncDelay = b.maxSyncDelay;
    this.maxAttempts = b.maxAttempts;
    this.deadLetterLane = b.deadLetterLane;
    this.maxBytes = b.maxBytes;
    this.maxMessageBytes = b.maxMessageBytes;
    this.lanes = Map.copyOf(b.lanes);
    this.cursors = Set.copyOf(b.cursors);
    this.startFreshIfUnreadable = b.startFreshIfUnreadable;
    this.clock = b.clock;
    this.ticker = b.ticker;
  }

  /**
   * Starts a configuration for a queue in {@code directory} (created if missing).
   *
   * @param directory the directory that holds the store file and its lock
   * @return a builder with every default set
   */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /**
   * Returns the queue's directory.
   *
   * @return the directory
   */
  public Path directory() {
    return directory;
  }

  /**
   * Returns the interval of the background commit that writes {@link Durability#BUFFERED} messages
   * and acknowledgements.
   *
   * @return the interval
   */
  public Duration commitInterval() {
    return commitInterval;
  }

  /**
   * Returns how long a {@link Durability#SYNCED} enqueue may wait for companions to share its
   * {@code fsync}.
   *
   * @return the delay, zero for no deliberate wait
   */
  public Duration maxSyncDelay() {
    return maxSyncDelay;
  }

  /**
   * Returns after how many nacks by one cursor a message moves to the dead-letter lane.
   *
   * @return the attempt limit
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the name of the dead-letter lane.
   *
   * @return the lane name
   */
  public String deadLetterLane() {
    return deadLetterLane;
  }

  /**
   * Returns the queue-wide byte cap.
   *
   * @return the cap, {@link Long#MAX_VALUE} for none
   */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Returns the largest accepted payload.
   *
   * @return bytes
   */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * Returns the configured lanes by name; other lanes use {@link LaneConfig#of(String)}.
   *
   * @return the lane configurations
   */
  public Map<String, LaneConfig> lanes() {
    return lanes;
  }

  /**
   * Returns the configuration of a lane, configured or default.
   *
   * @param lane the lane name
   * @return its configuration
   */
  public LaneConfig lane(String lane) {
    LaneConfig config = lanes.get(lane);
    return config != null ? config : LaneConfig.of(lane);
  }

  /**
   * Returns the cursors registered when the queue opens.
   *
   * @return the cursor names
   */
  public Set<String> cursors() {
    return cursors;
  }

  /**
   * Returns whether a store file that cannot be opened is moved aside and replaced by an empty one
   * instead of failing the open.
   *
   * @return {@code true} to start fresh
   */
  public boolean startFreshIfUnreadable() {
    return startFreshIfUnreadable;
  }

  /**
   * Returns the wall clock that stamps {@link Message#createdAt()}.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the monotonic ticker that time to live is measured on.
   *
   * @return the ticker
   */
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public String toString() {
    return "QueueConfig[directory=" + directory + ", commitInterval=" + commitInterval
        + ", maxSyncDelay=" + maxSyncDelay + ", maxAttempts=" + maxAttempts + ", deadLetterLane="
        + deadLetterLane + ", maxBytes=" + maxBytes + ", lanes=" + lanes.keySet() + ", cursors="
        + cursors + "]";
  }

  /** Builds a {@link QueueConfig}; every setter validates its argument at once. */
  public static final class Builder {
    private final Path directory;
    private Duration commitInterval = Duration.ofSeconds(1);
    private Duration maxSyncDelay = Duration.ZERO;
    private int maxAttempts = 5;
    private String deadLetterLane = "dead-letter";
    private long maxBytes = Long.MAX_VALUE;
    private int maxMessageBytes = 1 << 20;
    private final Map<String, LaneConfig> lanes = new LinkedHashMap<>();
    private final Set<String> cursors = new LinkedHashSet<>();
    private boolean startFreshIfUnreadable;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.systemTicker();

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Sets the interval of the background commit. If this method is not invoked, it is 1 second
     * (MVStore's own default): a process crash loses at most about this much
     * {@link Durability#BUFFERED} data.
     *
     * @param interval 1 ms to 1 hour
     * @return this builder
     */
    public Builder commitInterval(Duration interval) {
      if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("commitInterval must be 1 ms to 1 h, was " + interval);
      }
      this.commitInterval = interval;
      return this;
    }

    /**
     * Sets how long a {@link Durability#SYNCED} enqueue may wait for others to share its
     * {@code fsync}. If this method is not invoked, it is zero: enqueues that arrive while an
     * {@code fsync} runs share the next one anyway, so latency is not traded for throughput.
     *
     * @param delay 0 to 1 second
     * @return this builder
     */
    public Builder maxSyncDelay(Duration delay) {
      if (delay.isNegative() || delay.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("maxSyncDelay must be 0 to 1 s, was " + delay);
      }
      this.maxSyncDelay = delay;
      return this;
    }

    /**
     * Sets after how many nacks by one cursor a message moves to the dead-letter lane. If this
     * method is not invoked, it is 5.
     *
     * @param attempts 1 to 1000
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 1000) {
        throw new IllegalArgumentException("maxAttempts must be 1 to 1000, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Sets the name of the dead-letter lane. If this method is not invoked, it is
     * {@code "dead-letter"}.
     *
     * @param lane the lane name
     * @return this builder
     */
    public Builder deadLetterLane(String lane) {
      NewMessage.checkLane(lane);
      this.deadLetterLane = lane;
      return this;
    }

    /**
     * Sets the queue-wide byte cap, counted as {@link QueueStats#bytes()} counts. When a message
     * does not fit, its lane's {@link OverflowPolicy} decides. If this method is not invoked, there is
     * no queue-wide cap.
     *
     * @param bytes a positive cap
     * @return this builder
     */
    public Builder maxBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive, was " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * Sets the largest accepted payload. If this method is not invoked, it is 1 MiB.
     *
     * @param bytes 1 byte to 64 MiB
     * @return this builder
     */
    public Builder maxMessageBytes(int bytes) {
      if (bytes < 1 || bytes > (64 << 20)) {
        throw new IllegalArgumentException("maxMessageBytes must be 1 to 64 MiB, was " + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * Configures a lane. If a lane is never configured, it uses {@link LaneConfig#of(String)}.
     *
     * @param lane the lane configuration; replaces an earlier one of the same name
     * @return this builder
     */
    public Builder lane(LaneConfig lane) {
      lanes.put(lane.name(), lane);
      return this;
    }

    /**
     * Registers cursors when the queue opens, so messages are kept until each has acknowledged them.
     * If this method is not invoked, cursors are registered on first use of
     * {@link DurableQueue#cursor(String)}.
     *
     * @param names cursor names
     * @return this builder
     */
    public Builder cursors(String... names) {
      for (String name : names) {
        NewMessage.checkLane(name);
        cursors.add(name);
      }
      return this;
    }

    /**
     * Sets what happens when the store file cannot be opened (truncated, overwritten, written by an
     * incompatible version). In both cases the file is moved aside, never deleted. If this method is
     * not invoked, it is {@code false}: the open fails with
     * {@link org.edgesdk.api.ErrorCode#CORRUPT_DATA} naming where the file went; with {@code true}
     * the queue logs the same and starts empty.
     *
     * @param startFresh whether to start with an empty store
     * @return this builder
     */
    public Builder startFreshIfUnreadable(boolean startFresh) {
      this.startFreshIfUnreadable = startFresh;
      return this;
    }

    /**
     * Sets the wall clock that stamps {@link Message#createdAt()}. If this method is not invoked, it
     * is {@link Clock#systemUTC()}.
     *
     * @param wallClock the clock
     * @return this builder
     */
    public Builder clock(Clock wallClock) {
      this.clock = Objects.requireNonNull(wallClock, "clock");
      return this;
    }

    /**
     * Sets the monotonic ticker that time to live is measured on. The queue keeps its own clock
     * that advances with this ticker while the store is open and resumes from its stored value when
     * reopened, so time the device is off does not count and wall-clock jumps have no effect. If this
     * method is not invoked, it is {@link Ticker#systemTicker()}.
     *
     * @param monotonic the ticker
     * @return this builder
     */
    public Builder ticker(Ticker monotonic) {
      this.ticker = Objects.requireNonNull(monotonic, "ticker");
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @return the immutable configuration
     * @throws IllegalArgumentException if the lanes' reserved bytes exceed the queue-wide cap
     */
    public QueueConfig build() {
      long reserved = lanes.values().stream().mapToLong(LaneConfig::reservedBytes).sum();
      if (reserved > 0 && reserved >= maxBytes) {
        throw new IllegalArgumentException(
            "reserved bytes of all lanes (" + reserved + ") must be below maxBytes (" + maxBytes + ")");
      }
      return new QueueConfig(this);
    }
  }
}
