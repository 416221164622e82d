package org.edgesdk.linux.posture;

/** The active kernel lockdown mode, the bracketed word of {@code /sys/kernel/security/lockdown}. */
public enum LockdownMode {
  /** No lockdown: root can change the running kernel (load unsigned modules, write /dev/mem). */
  NONE,
  /** Integrity: features that let user space modify the running kernel are disabled. */
  INTEGRITY,
  /** Confidentiality: integrity plus features that let user space read kernel memory. */
  CONFIDENTIALITY
}
