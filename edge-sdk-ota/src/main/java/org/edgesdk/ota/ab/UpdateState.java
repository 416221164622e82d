package org.edgesdk.ota.ab;

/** Where an A/B update stands; persisted by {@link AbUpdater} in its state directory. */
public enum UpdateState {
  /** No update in progress. */
  IDLE,
  /** A target is being downloaded and written to the inactive slot (marked unbootable). */
  DOWNLOADING,
  /** The slot is written, verified and primary; a reboot is pending. */
  INSTALLED,
  /** Booted into the new slot; health checks decide between commit and rollback. */
  TRIAL,
  /** The new slot was marked good and the anti-rollback floor advanced. */
  COMMITTED,
  /** The new slot was marked bad (failed health checks, or the bootloader fell back). */
  ROLLED_BACK
}
