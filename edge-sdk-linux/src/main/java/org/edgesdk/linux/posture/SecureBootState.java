package org.edgesdk.linux.posture;

/** UEFI Secure Boot state. */
public enum SecureBootState {
  /** The {@code SecureBoot} EFI variable's value byte is {@code 1}. */
  ENABLED,
  /** The {@code SecureBoot} EFI variable's value byte is {@code 0}. */
  DISABLED,
  /**
   * No readable, well-formed {@code SecureBoot} variable: not booted through UEFI (U-Boot, BIOS, most
   * Raspberry Pi boards), efivarfs not visible (containers), or a malformed variable. Never "disabled".
   */
  UNKNOWN
}
