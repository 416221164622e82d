package org.edgesdk.linux.posture;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The Trusted Platform Module, from {@code /sys/class/tpm/tpm0} and {@code /dev/tpm0},
 * {@code /dev/tpmrm0}.
 *
 * @param present whether a TPM is there
 * @param version the major version ({@code 2} for TPM 2.0, {@code 1} for 1.2) from
 *     {@code tpm_version_major} (kernels 5.6 and later), or {@code 2} when only the TPM 2.0 resource
 *     manager {@code /dev/tpmrm0} tells; empty when present but the version is not known
 * @param detail the evidence
 */
public record Tpm(boolean present, OptionalInt version, String detail) {
  /**
   * Creates the description.
   *
   * @param present whether a TPM is there
   * @param version the major version
   * @param detail the evidence
   */
  public Tpm {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(detail, "detail");
  }
}
