package org.edgesdk.api;

/**
 * Machine-readable classification of an {@link EdgeException}.
 *
 * <p>Codes are stable: they appear in logs, in {@code edgectl --json} output and in metrics, so a
 * constant is never renamed or removed, only added. Applications branch on the code; people read the
 * exception's {@link EdgeException#problem() problem} and {@link EdgeException#remedy() remedy}.
 */
public enum ErrorCode {
  /** The device, kernel or driver lacks the feature (no cpufreq in a VM, no TPM, no EPP). */
  UNSUPPORTED(false),
  /** The process lacks a privilege: root, a capability, a resource limit or a file mode. */
  PERMISSION_DENIED(false),
  /** A value given to the SDK or read from its configuration is outside what is allowed. */
  INVALID_ARGUMENT(false),
  /** A file, device, slot or record the operation needs does not exist. */
  NOT_FOUND(false),
  /** The resource is held by someone else (a locked store, EBUSY from the kernel); may clear later. */
  BUSY(true),
  /** An operating-system or network I/O operation failed; may succeed when retried. */
  IO_ERROR(true),
  /** The operation did not finish within its bounded time; may succeed when retried. */
  TIMEOUT(true),
  /** Stored or received data does not match its checksum, format or declared length. */
  CORRUPT_DATA(false),
  /** A signature, hash, threshold, expiry or version check refused the data (update security). */
  VERIFICATION_FAILED(false),
  /** The kernel accepted a write but the value read back differs from the one requested. */
  NOT_APPLIED(false),
  /** The SDK reached a state it does not expect; this is a bug to report. */
  INTERNAL(false);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /**
   * Returns whether the same operation may succeed if retried later without any change by a person.
   *
   * @return {@code true} for transient conditions such as {@link #BUSY}, {@link #IO_ERROR} and
   *     {@link #TIMEOUT}
   */
  public boolean isRetryable() {
    return retryable;
  }
}
