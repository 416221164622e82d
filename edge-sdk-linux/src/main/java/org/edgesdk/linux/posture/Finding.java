package org.edgesdk.linux.posture;

import java.util.Objects;

/**
 * The result of one hardening check.
 *
 * @param id a stable identifier, such as {@code rootfs.read-only} or {@code secure-boot}
 * @param status pass, warn, fail or unknown
 * @param detail the evidence the status rests on (files and values), or why it is unknown
 * @param remedy one line on what to do; for a passing check, what keeps it passing
 */
public record Finding(String id, FindingStatus status, String detail, String remedy) {
  /**
   * Creates a finding.
   *
   * @param id the identifier
   * @param status the status
   * @param detail the evidence
   * @param remedy the one-line remedy
   * @throws IllegalArgumentException if a text is blank or the remedy spans lines
   */
  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(remedy, "remedy");
    if (id.isBlank() || detail.isBlank() || remedy.isBlank()) {
      throw new IllegalArgumentException("finding '" + id + "' needs an id, a detail and a remedy");
    }
    if (remedy.contains("\n")) {
      throw new IllegalArgumentException("remedy of '" + id + "' must be one line: " + remedy);
    }
  }
}
