package org.edgesdk.ota.ab;

import java.time.Instant;
import java.util.Objects;

/**
 * The application's answer when {@link AbUpdater#install} asks whether a target may be downloaded
 * and installed now (see {@link AbUpdater.Builder#consent(java.util.function.Function)}).
 */
public sealed interface Consent {
  /**
   * Returns the answer that lets the install go ahead.
   *
   * @return proceed
   */
  static Consent proceed() {
    return Proceed.INSTANCE;
  }

  /**
   * Returns the answer that postpones the install: until {@code until}, install refuses the same
   * target without asking again (the deferral is persisted, so it survives restarts).
   *
   * @param until when to ask again
   * @return defer
   */
  static Consent deferUntil(Instant until) {
    return new Defer(until);
  }

  /**
   * Returns the answer that refuses this install; the application is asked again next time.
   *
   * @return decline
   */
  static Consent decline() {
    return Decline.INSTANCE;
  }

  /** Go ahead now. */
  enum Proceed implements Consent {
    /** The only instance. */
    INSTANCE
  }

  /** Not now; do not ask again before {@code until}.
   *
   * @param until when to ask again
   */
  record Defer(Instant until) implements Consent {
    /** Validates the component. */
    public Defer {
      Objects.requireNonNull(until, "until");
    }
  }

  /** Not this time. */
  enum Decline implements Consent {
    /** The only instance. */
    INSTANCE
  }
}
