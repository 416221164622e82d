package org.edgesdk.linux.cpufreq.internal;

import java.nio.file.Path;

/**
 * Writes one sysfs attribute: the single seam between the cpufreq transaction and the kernel. The
 * production implementation is {@link #files()}; tests substitute a fake that models the kernel's
 * rules (EINVAL, EBUSY, EACCES, writes accepted but ignored).
 */
@FunctionalInterface
public interface AttributeWriter {

  /**
   * Writes {@code value} to the attribute file, as {@code echo value > file} does.
   *
   * @param file the attribute file, already resolved below the host root
   * @param value the text to write, without a trailing newline
   * @throws WriteFailure if the kernel (or the file system) refuses the write
   */
  void write(Path file, String value) throws WriteFailure;

  /**
   * Returns the writer of real files: one {@code write(2)} of the value to the existing file.
   *
   * @return the production writer
   */
  static AttributeWriter files() {
    return FileAttributeWriter.INSTANCE;
  }
}
