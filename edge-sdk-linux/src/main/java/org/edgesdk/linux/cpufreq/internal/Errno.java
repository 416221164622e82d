package org.edgesdk.linux.cpufreq.internal;

/** The kernel's answers to a sysfs write that the SDK tells apart. */
public enum Errno {
  /** Permission denied: the file mode does not allow the process to write. */
  EACCES,
  /** Operation not permitted: a capability or LSM refused the write. */
  EPERM,
  /** Read-only file system: sysfs is mounted read-only (the default in containers). */
  EROFS,
  /** Invalid argument: the driver refused the value. */
  EINVAL,
  /** Device or resource busy: the driver refuses the value in the current state. */
  EBUSY,
  /** No such file: the attribute does not exist. */
  ENOENT,
  /** Any other failure. */
  OTHER;

  /**
   * Classifies the reason text Java reports for a failed file operation ({@code strerror} text).
   *
   * @param reason the reason, for example {@code "Device or resource busy"}; may be null
   * @return the errno, {@link #OTHER} when unknown
   */
  public static Errno fromReason(@org.jspecify.annotations.Nullable String reason) {
    if (reason == null) {
      return OTHER;
    }
    String r = reason.toLowerCase(java.util.Locale.ROOT);
    if (r.contains("permission denied")) {
      return EACCES;
    } else if (r.contains("operation not permitted")) {
      return EPERM;
    } else if (r.contains("read-only file system")) {
      return EROFS;
    } else if (r.contains("invalid argument")) {
      return EINVAL;
    } else if (r.contains("device or resource busy")) {
      return EBUSY;
    } else if (r.contains("no such file")) {
      return ENOENT;
    }
    return OTHER;
  }
}
