package org.edgesdk.linux.posture;

/** SELinux state from {@code /sys/fs/selinux/enforce}. */
public enum SelinuxMode {
  /** {@code enforce} reads {@code 1}: denials are enforced. */
  ENFORCING,
  /** {@code enforce} reads {@code 0}: denials are only logged. */
  PERMISSIVE,
  /** No selinuxfs: SELinux is not enabled (or, inside a container, hidden from it). */
  DISABLED
}
