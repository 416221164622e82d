package org.edgesdk.ota.tuf;

/**
 * The most bytes the client accepts for each metadata file whose length no other role declares (the
 * endless data attack). Snapshot and targets lengths declared by the timestamp and snapshot roles
 * take precedence.
 *
 * @param root the limit of each {@code N.root.json}
 * @param timestamp the limit of {@code timestamp.json}
 * @param snapshot the limit of {@code snapshot.json}
 * @param targets the limit of each targets file, top-level or delegated
 */
public record MetadataLimits(long root, long timestamp, long snapshot, long targets) {

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException if a limit is below 1
   */
  public MetadataLimits {
    if (root < 1 || timestamp < 1 || snapshot < 1 || targets < 1) {
      throw new IllegalArgumentException("limits must be >= 1 but were " + root + ", " + timestamp
          + ", " + snapshot + ", " + targets);
    }
  }

  /**
   * Returns the defaults, those of python-tuf: root 512 000, timestamp 16 384, snapshot 2 000 000,
   * targets 5 000 000 bytes.
   *
   * @return the default limits
   */
  public static MetadataLimits defaults() {
    return new MetadataLimits(512_000, 16_384, 2_000_000, 5_000_000);
  }
}
