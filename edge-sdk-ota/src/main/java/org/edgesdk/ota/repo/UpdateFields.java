package org.edgesdk.ota.repo;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.edgesdk.api.ota.Compression;

/**
 * The update fields published with a target; see
 * {@link org.edgesdk.api.ota.TargetDescription} for their meaning.
 *
 * @param releaseVersion the release version, for example {@code 1.4.2}
 * @param hardware the hardware identifiers the target runs on; empty means any
 * @param slotClass the slot class or image type, for example {@code rootfs}
 * @param compression how the target is compressed
 * @param securityVersion the security version, 0 or more
 */
public record UpdateFields(
    Optional<String> releaseVersion,
    Set<String> hardware,
    Optional<String> slotClass,
    Compression compression,
    long securityVersion) {

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the security version is negative
   */
  public UpdateFields {
    Objects.requireNonNull(releaseVersion, "releaseVersion");
    Objects.requireNonNull(slotClass, "slotClass");
    Objects.requireNonNull(compression, "compression");
    hardware = Set.copyOf(new TreeSet<>(hardware));
    if (securityVersion < 0) {
      throw new IllegalArgumentException("securityVersion must be >= 0 but was " + securityVersion);
    }
  }

  /**
   * Returns fields with only a release version: any hardware, no slot class, not compressed,
   * security version 0.
   *
   * @param releaseVersion the release version
   * @return the fields
   */
  public static UpdateFields release(String releaseVersion) {
    return new UpdateFields(Optional.of(releaseVersion), Set.of(), Optional.empty(), Compression.NONE, 0);
  }

  /**
   * Returns a copy with the given hardware identifiers.
   *
   * @param ids the hardware identifiers
   * @return the new fields
   */
  public UpdateFields withHardware(Set<String> ids) {
    return new UpdateFields(releaseVersion, ids, slotClass, compression, securityVersion);
  }

  /**
   * Returns a copy with the given slot class.
   *
   * @param slot the slot class
   * @return the new fields
   */
  public UpdateFields withSlotClass(String slot) {
    return new UpdateFields(releaseVersion, hardware, Optional.of(slot), compression, securityVersion);
  }

  /**
   * Returns a copy with the given compression.
   *
   * @param value the compression
   * @return the new fields
   */
  public UpdateFields withCompression(Compression value) {
    return new UpdateFields(releaseVersion, hardware, slotClass, value, securityVersion);
  }

  /**
   * Returns a copy with the given security version.
   *
   * @param value the security version
   * @return the new fields
   */
  public UpdateFields withSecurityVersion(long value) {
    return new UpdateFields(releaseVersion, hardware, slotClass, compression, value);
  }
}
