package org.edgesdk.linux.posture;

import java.util.Objects;

/**
 * UEFI Secure Boot, from the {@code SecureBoot} EFI variable
 * ({@code /sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c}: four attribute
 * bytes, then one value byte).
 *
 * @param state enabled, disabled or unknown
 * @param detail the evidence (the file and its value byte) or, when unknown, the reason
 */
public record SecureBoot(SecureBootState state, String detail) {
  /** The efivarfs path of the {@code SecureBoot} variable (EFI global variable GUID). */
  public static final String EFIVAR =
      "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";

  /**
   * Creates the state.
   *
   * @param state the state
   * @param detail the evidence or the reason
   */
  public SecureBoot {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Interprets the content of the efivarfs file.
   *
   * @param bytes the file content: four attribute bytes (little-endian), then the value byte
   * @return enabled or disabled; unknown with the reason when the content is not five bytes or the
   *     value is neither 0 nor 1
   */
  public static SecureBoot fromEfivar(byte[] bytes) {
    if (bytes.length < 5) {
      return new SecureBoot(SecureBootState.UNKNOWN, EFIVAR + " is truncated: " + bytes.length
          + " bytes, expected 5 (4 attribute bytes, then the value)");
    }
    if (bytes.length > 5) {
      return new SecureBoot(SecureBootState.UNKNOWN, EFIVAR + " has " + bytes.length
          + " bytes, expected 5 (4 attribute bytes, then the value)");
    }
    int value = bytes[4] & 0xff;
    return switch (value) {
      case 1 -> new SecureBoot(SecureBootState.ENABLED, EFIVAR + " value byte is 1");
      case 0 -> new SecureBoot(SecureBootState.DISABLED, EFIVAR + " value byte is 0");
      default -> new SecureBoot(SecureBootState.UNKNOWN,
          EFIVAR + " value byte is " + value + ", expected 0 or 1");
    };
  }
}
