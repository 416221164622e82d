package org.edgesdk.api.ota;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One target of an update repository, as its verified metadata describes it.
 *
 * <p>The length and hashes are what the downloaded bytes are checked against. The update fields are
 * optional in the repository: a target published without them has no release version, no slot class,
 * runs on any hardware, is not compressed and has security version 0.
 *
 * @param name the target's path in the repository, for example {@code rootfs-1.4.2.img}
 * @param length the exact length in bytes
 * @param hashes hash algorithm name (for example {@code sha256}) to lower-case hex digest; not empty
 * @param releaseVersion the release version shown to people, for example {@code 1.4.2}
 * @param hardware the hardware identifiers the target runs on; empty means any hardware
 * @param slotClass the slot class or image type the target installs into, for example {@code rootfs}
 * @param compression how the target's bytes are compressed
 * @param securityVersion the target's security version: a device refuses targets whose security
 *     version is below its stored anti-rollback floor
 */
public record TargetDescription(
    String name,
    long length,
    Map<String, String> hashes,
    Optional<String> releaseVersion,
    Set<String> hardware,
    Optional<String> slotClass,
    Compression compression,
    long securityVersion) {

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the name is blank, the length or security version is
   *     negative, or there are no hashes
   */
  public TargetDescription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(releaseVersion, "releaseVersion");
    Objects.requireNonNull(slotClass, "slotClass");
    Objects.requireNonNull(compression, "compression");
    if (name.isBlank()) {
      throw new IllegalArgumentException("target name must not be blank");
    }
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0 but was " + length);
    }
    if (securityVersion < 0) {
      throw new IllegalArgumentException("securityVersion must be >= 0 but was " + securityVersion);
    }
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("target " + name + " has no hashes");
    }
    hashes = Map.copyOf(new TreeMap<>(hashes));
    hardware = Set.copyOf(new TreeSet<>(hardware));
  }

  /**
   * Returns whether the target runs on the given hardware.
   *
   * @param hardwareId the device's hardware identifier, for example {@code rpi4}
   * @return {@code true} if {@link #hardware()} is empty or contains the identifier
   */
  public boolean runsOn(String hardwareId) {
    Objects.requireNonNull(hardwareId, "hardwareId");
    return hardware.isEmpty() || hardware.contains(hardwareId);
  }
}
