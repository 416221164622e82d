package org.edgesdk.linux.posture;

import java.util.Objects;
import java.util.Optional;

/**
 * A cgroup resource limit, keeping apart the three answers a reader can give: a limit, no limit
 * ({@code max}, or cgroup v1's {@code -1} and "unlimited" memory value), and unknown (no cgroup file to
 * read, or a malformed or unreadable one).
 *
 * @param <T> the limit's type: cores as {@link Double}, bytes and counts as {@link Long}
 */
public sealed interface Limit<T> permits Limit.Limited, Limit.Unlimited, Limit.Unknown {

  /**
   * Returns the limit's value.
   *
   * @return the value of a {@link Limited}, otherwise empty
   */
  Optional<T> toOptional();

  /**
   * A limit is in force.
   *
   * @param value the limit
   * @param source the file (and cgroup) it was read from, with the raw value
   * @param <T> the limit's type
   */
  record Limited<T>(T value, String source) implements Limit<T> {
    /**
     * Creates a limit.
     *
     * @param value the limit
     * @param source where it was read
     */
    public Limited {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(source, "source");
    }

    @Override
    public Optional<T> toOptional() {
      return Optional.of(value);
    }
  }

  /**
   * No limit: every file read says {@code max}, or the process is in the root cgroup.
   *
   * @param source the files read
   * @param <T> the limit's type
   */
  record Unlimited<T>(String source) implements Limit<T> {
    /**
     * Creates the answer.
     *
     * @param source the files read
     */
    public Unlimited {
      Objects.requireNonNull(source, "source");
    }

    @Override
    public Optional<T> toOptional() {
      return Optional.empty();
    }
  }

  /**
   * The limit cannot be known.
   *
   * @param reason why: which file is missing or malformed
   * @param <T> the limit's type
   */
  record Unknown<T>(String reason) implements Limit<T> {
    /**
     * Creates the answer.
     *
     * @param reason why the limit is not known
     */
    public Unknown {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Optional<T> toOptional() {
      return Optional.empty();
    }
  }
}
