package org.edgesdk.linux.posture;

/** The outcome of one hardening check. */
public enum FindingStatus {
  /** The device meets the expectation. */
  PASS,
  /** The expectation is not met, but the device is not exposed outright (or the check is advisory). */
  WARN,
  /** The expectation is not met. */
  FAIL,
  /** The check could not be made; the detail says why. */
  UNKNOWN
}
