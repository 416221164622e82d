package org.edgesdk.ota.boot;

import java.util.Map;

/**
 * A bootloader's variable store: the U-Boot environment, the GRUB environment block or a plain file.
 * {@link #write} replaces every variable at once.
 */
public interface Environment {

  /**
   * Reads every variable.
   *
   * @return the variables, iterating in stored order
   * @throws org.edgesdk.api.EdgeException {@code IO_ERROR} if the store cannot be read,
   *     {@code CORRUPT_DATA} if no valid copy is found
   */
  Map<String, String> read();

  /**
   * Replaces every variable and syncs the store to stable storage.
   *
   * @param variables the variables, written in iteration order
   * @throws IllegalArgumentException if a name or value cannot be stored in this format, or the
   *     variables do not fit
   * @throws org.edgesdk.api.EdgeException {@code IO_ERROR} if the store cannot be written
   */
  void write(Map<String, String> variables);
}
