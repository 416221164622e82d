package org.edgesdk.api;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A capability or value that a device may lack, with the reason when it does.
 *
 * <p>Where {@link Optional} would only say "empty", an {@code Availability} says why: "no cpufreq
 * directory: the kernel exposes no frequency scaling (common in virtual machines)". Readers return
 * {@link Unavailable} for what the device does not offer and throw {@link EdgeException} only for real
 * failures.
 *
 * <pre>{@code
 * Availability<String> epp = policy.energyPerformancePreference();
 * if (epp instanceof Availability.Unavailable<String> u) {
 *   System.out.println("no EPP: " + u.reason());
 * } else {
 *   System.out.println("EPP " + epp.orElseThrow());
 * }
 * }</pre>
 *
 * @param <T> the type of the value when available
 */
public sealed interface Availability<T> permits Availability.Available, Availability.Unavailable {

  /**
   * Returns an available value.
   *
   * @param value the value
   * @param <T> the value's type
   * @return the available value
   */
  static <T> Availability<T> of(T value) {
    return new Available<>(value);
  }

  /**
   * Returns an unavailable value with the reason.
   *
   * @param reason why the value is not available, as a person should read it
   * @param <T> the type the value would have
   * @return the unavailable value
   * @throws IllegalArgumentException if {@code reason} is blank
   */
  static <T> Availability<T> unavailable(String reason) {
    return new Unavailable<>(reason);
  }

  /**
   * Returns whether the value is available.
   *
   * @return {@code true} for {@link Available}
   */
  boolean isAvailable();

  /**
   * Returns the value, or an empty {@code Optional} when it is unavailable.
   *
   * @return the value if available
   */
  Optional<T> toOptional();

  /**
   * Applies {@code mapper} to an available value; an unavailable one keeps its reason.
   *
   * @param mapper the function applied to the value
   * @param <R> the mapped type
   * @return the mapped availability
   */
  <R> Availability<R> map(Function<? super T, ? extends R> mapper);

  /**
   * Returns the value or throws an {@link EdgeException} with code {@link ErrorCode#UNSUPPORTED}
   * whose problem is the reason.
   *
   * @return the available value
   * @throws EdgeException if the value is unavailable
   */
  T orElseThrow();

  /**
   * A value that is present.
   *
   * @param value the value
   * @param <T> the value's type
   */
  record Available<T>(T value) implements Availability<T> {
    /**
     * Creates an available value.
     *
     * @param value the value
     */
    public Available {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public Optional<T> toOptional() {
      return Optional.of(value);
    }

    @Override
    public <R> Availability<R> map(Function<? super T, ? extends R> mapper) {
      return new Available<>(mapper.apply(value));
    }

    @Override
    public T orElseThrow() {
      return value;
    }
  }

  /**
   * A value that the device does not offer, with the reason.
   *
   * @param reason why the value is not available
   * @param <T> the type the value would have
   */
  record Unavailable<T>(String reason) implements Availability<T> {
    /**
     * Creates an unavailable value.
     *
     * @param reason why the value is not available
     * @throws IllegalArgumentException if {@code reason} is blank
     */
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
      if (reason.isBlank()) {
        throw new IllegalArgumentException("reason must not be blank");
      }
    }

    @Override
    public boolean isAvailable() {
      return false;
    }

    @Override
    public Optional<T> toOptional() {
      return Optional.empty();
    }

    @Override
    public <R> Availability<R> map(Function<? super T, ? extends R> mapper) {
      return new Unavailable<>(reason);
    }

    @Override
    public T orElseThrow() {
      throw new EdgeException(
          ErrorCode.UNSUPPORTED, reason, "check the capability with isAvailable() before using it");
    }
  }
}
