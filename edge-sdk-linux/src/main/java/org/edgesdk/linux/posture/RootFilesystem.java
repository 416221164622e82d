package org.edgesdk.linux.posture;

import java.util.Objects;
import java.util.Optional;

/**
 * The file system mounted at {@code /}, from {@code /proc/self/mountinfo}.
 *
 * @param type the file-system type as the kernel names it: {@code ext4}, {@code xfs},
 *     {@code squashfs}, {@code erofs}, {@code overlay} (containers, composefs), {@code btrfs}, ...
 * @param source the mount source ({@code /dev/mmcblk0p2}, {@code /dev/loop0}, {@code overlay})
 * @param readOnly whether {@code /} is mounted read-only ({@code ro} in the mount or superblock options)
 * @param usrReadOnly whether {@code /usr} is a separate read-only mount (ostree deployments keep
 *     {@code /} writable and {@code /usr} read-only); empty when {@code /usr} is not a separate mount
 */
public record RootFilesystem(String type, String source, boolean readOnly, Optional<Boolean> usrReadOnly) {
  /**
   * Creates the description.
   *
   * @param type the file-system type
   * @param source the mount source
   * @param readOnly whether {@code /} is read-only
   * @param usrReadOnly whether a separate {@code /usr} mount is read-only
   */
  public RootFilesystem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(usrReadOnly, "usrReadOnly");
  }

  /**
   * Returns whether the operating system cannot be changed through ordinary writes: {@code /} is
   * read-only, or {@code /usr} is (the ostree layout).
   *
   * @return {@code true} for an immutable system tree
   */
  public boolean immutable() {
    return readOnly || usrReadOnly.orElse(false);
  }
}
