package org.edgesdk.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The unchecked root of every failure the Edge SDK reports.
 *
 * <p>Each exception carries a machine-readable {@link ErrorCode}, a {@link #problem() problem} that
 * says what went wrong with the values involved, and a {@link #remedy() remedy} a person can act on,
 * for example:
 *
 * <pre>
 * PERMISSION_DENIED: cannot write /sys/devices/system/cpu/cpufreq/policy0/scaling_governor (EACCES);
 * fix: run as root or grant write access to the cpufreq files (udev rule or systemd unit)
 * </pre>
 *
 * <p>Programming mistakes by the caller (a null argument, a negative size) are reported with the
 * standard {@link NullPointerException}, {@link IllegalArgumentException} and
 * {@link IllegalStateException} instead.
 */
public class EdgeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The classification; never null. */
  private final ErrorCode code;
  /** What went wrong; never null or blank. */
  private final String problem;
  /** What a person can do about it; never null or blank. */
  private final String remedy;

  /**
   * Creates an exception without a cause.
   *
   * @param code the machine-readable classification
   * @param problem what went wrong, naming the values involved
   * @param remedy what a person can do to fix it
   * @throws IllegalArgumentException if {@code problem} or {@code remedy} is blank
   */
  public EdgeException(ErrorCode code, String problem, String remedy) {
    this(code, problem, remedy, null);
  }

  /**
   * Creates an exception with the lower-level cause that triggered it.
   *
   * @param code the machine-readable classification
   * @param problem what went wrong, naming the values involved
   * @param remedy what a person can do to fix it
   * @param cause the underlying exception, or {@code null} if there is none
   * @throws IllegalArgumentException if {@code problem} or {@code remedy} is blank
   */
  public EdgeException(ErrorCode code, String problem, String remedy, @Nullable Throwable cause) {
    super(format(code, problem, remedy), cause);
    this.code = code;
    this.problem = problem;
    this.remedy = remedy;
  }

  private static String format(ErrorCode code, String problem, String remedy) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(remedy, "remedy");
    if (problem.isBlank()) {
      throw new IllegalArgumentException("problem must not be blank");
    }
    if (remedy.isBlank()) {
      throw new IllegalArgumentException("remedy must not be blank");
    }
    return code + ": " + problem + "; fix: " + remedy;
  }

  /**
   * Returns the machine-readable classification.
   *
   * @return the error code
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Returns what went wrong, naming the values involved.
   *
   * @return the problem, never blank
   */
  public String problem() {
    return problem;
  }

  /**
   * Returns what a person can do to fix the problem.
   *
   * @return the remedy, never blank
   */
  public String remedy() {
    return remedy;
  }

  /**
   * Returns the message on a single line ({@code CODE: problem; fix: remedy}), with any line breaks
   * in the problem or remedy replaced by spaces, as command-line tools and log lines need it.
   *
   * @return the one-line message
   */
  public String oneLine() {
    return String.valueOf(getMessage()).replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
