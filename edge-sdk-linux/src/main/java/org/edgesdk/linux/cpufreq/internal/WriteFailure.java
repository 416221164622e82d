package org.edgesdk.linux.cpufreq.internal;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A sysfs write the kernel or the file system refused, with the errno it answered. */
public final class WriteFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final Errno errno;

  /**
   * Creates the failure.
   *
   * @param file the attribute file
   * @param errno the kernel's answer
   * @param detail the operating system's text, for the message
   * @param cause the underlying exception, if any
   */
  public WriteFailure(Path file, Errno errno, String detail, @Nullable Throwable cause) {
    super(file + ": " + errno + " (" + detail + ")", cause);
    this.file = Objects.requireNonNull(file, "file");
    this.errno = Objects.requireNonNull(errno, "errno");
  }

  /**
   * Creates the failure without a cause.
   *
   * @param file the attribute file
   * @param errno the kernel's answer
   */
  public WriteFailure(Path file, Errno errno) {
    this(file, errno, errno.name(), null);
  }

  /**
   * Returns the attribute file.
   *
   * @return the file
   */
  public Path file() {
    return file;
  }

  /**
   * Returns the kernel's answer.
   *
   * @return the errno
   */
  public Errno errno() {
    return errno;
  }
}
