package org.edgesdk.ota.tuf;

import java.util.Objects;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * The repository's metadata or a target was refused: it failed a TUF check. The problem starts with
 * the {@link Refusal#label() name of the attack} detected, for example {@code "rollback attack:
 * timestamp.json version 3 is lower than the trusted version 5"}. The code is
 * {@link ErrorCode#TIMEOUT} for {@link Refusal#SLOW_RETRIEVAL} and
 * {@link ErrorCode#VERIFICATION_FAILED} otherwise.
 */
public final class RepositoryRefusedException extends EdgeException {
  private static final long serialVersionUID = 1L;

  /** The attack or fault detected. */
  private final Refusal refusal;

  /**
   * Creates the exception.
   *
   * @param refusal the attack or fault detected
   * @param detail what was refused, naming the file and the values involved
   */
  public RepositoryRefusedException(Refusal refusal, String detail) {
    this(refusal, detail, null);
  }

  /**
   * Creates the exception with the lower-level cause.
   *
   * @param refusal the attack or fault detected
   * @param detail what was refused, naming the file and the values involved
   * @param cause the underlying exception, or {@code null}
   */
  public RepositoryRefusedException(Refusal refusal, String detail, @Nullable Throwable cause) {
    super(
        Objects.requireNonNull(refusal, "refusal") == Refusal.SLOW_RETRIEVAL
            ? ErrorCode.TIMEOUT
            : ErrorCode.VERIFICATION_FAILED,
        refusal.label() + ": " + detail,
        refusal.remedy(),
        cause);
    this.refusal = refusal;
  }

  /**
   * Returns the attack or fault detected.
   *
   * @return the refusal
   */
  public Refusal refusal() {
    return refusal;
  }
}
