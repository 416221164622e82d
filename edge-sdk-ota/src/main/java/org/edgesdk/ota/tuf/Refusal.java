package org.edgesdk.ota.tuf;

/**
 * Why a repository was refused: the attack or fault the client detected, named as the TUF
 * specification names them.
 */
public enum Refusal {
  /** Unsigned metadata, a bad signature, or fewer valid signatures than the role's threshold. */
  ARBITRARY_INSTALLATION("arbitrary installation attack", "the metadata is not signed by a threshold"
      + " of the trusted keys; check that the repository was published with the current keys"),
  /** A version lower than the trusted one, or a root that is not exactly the next version. */
  ROLLBACK("rollback attack", "the repository serves older metadata than this device already"
      + " trusts; point the device at an up-to-date mirror"),
  /** Metadata whose expiry time has passed. */
  FREEZE("freeze attack", "the repository serves expired metadata; republish it (for example"
      + " 'edgectl ota repo publish') or check the device's clock"),
  /** Roles that do not belong together: a version or hash differs from what another role lists. */
  MIX_AND_MATCH("mix-and-match attack", "the repository's roles do not belong to one release;"
      + " republish all metadata together"),
  /** More bytes than the metadata allows. */
  ENDLESS_DATA("endless data attack", "the repository serves more data than allowed; check the"
      + " mirror, or raise the limit if the metadata really is that large"),
  /** A download that stalls or does not finish within the bounded time. */
  SLOW_RETRIEVAL("slow retrieval attack", "the repository stopped sending data; retry later or use"
      + " another mirror"),
  /** A target whose bytes do not match the length and hashes in the trusted metadata. */
  SUBSTITUTED_TARGET("substituted target", "the target's bytes differ from the signed metadata;"
      + " download it again from a trusted mirror"),
  /** A target whose security version is below the device's anti-rollback floor. */
  DOWNGRADE("downgrade below the anti-rollback floor", "publish a target with a security version at"
      + " or above the device's floor"),
  /** Metadata that is not valid JSON or not valid TUF metadata. */
  MALFORMED_METADATA("malformed metadata", "the repository serves metadata this client cannot"
      + " parse; republish it with a conforming TUF publisher");

  private final String label;
  private final String remedy;

  Refusal(String label, String remedy) {
    this.label = label;
    this.remedy = remedy;
  }

  /**
   * Returns the name of the attack or fault, as it starts the exception's problem.
   *
   * @return for example {@code "rollback attack"}
   */
  public String label() {
    return label;
  }

  /**
   * Returns what a person can do when this refusal happens.
   *
   * @return the remedy
   */
  public String remedy() {
    return remedy;
  }
}
