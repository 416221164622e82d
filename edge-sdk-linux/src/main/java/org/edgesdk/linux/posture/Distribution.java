package org.edgesdk.linux.posture;

/**
 * The operating-system family recognised from {@code /etc/os-release} and {@code /run/ostree-booted}.
 * Families matter to the report because they differ in how a device is hardened: an image-based
 * system (Ubuntu Core, ostree, a read-only Yocto image) has an immutable root by design.
 */
public enum Distribution {
  /** Ubuntu Core ({@code ID=ubuntu-core}): snaps on a read-only squashfs root, AppArmor confinement. */
  UBUNTU_CORE,
  /** Ubuntu ({@code ID=ubuntu}), a package-based system. */
  UBUNTU,
  /** Debian and derivatives ({@code ID=debian}, or {@code debian} in {@code ID_LIKE}: Raspberry Pi OS). */
  DEBIAN,
  /** RHEL for Edge: {@code ID=rhel} booted from an ostree deployment. */
  RHEL_FOR_EDGE,
  /** Fedora IoT: {@code ID=fedora} with {@code VARIANT_ID=iot}, booted from ostree. */
  FEDORA_IOT,
  /** Another ostree-booted system (Fedora CoreOS, CentOS Stream for Edge, ...). */
  OSTREE,
  /** Red Hat Enterprise Linux or a rebuild ({@code ID=rhel}, {@code rhel} in {@code ID_LIKE}), package-based. */
  RHEL,
  /** Fedora ({@code ID=fedora}), package-based. */
  FEDORA,
  /** An image built with the Yocto Project ({@code ID=poky} or {@code poky} in {@code ID_LIKE}). */
  YOCTO,
  /** Alpine Linux ({@code ID=alpine}), common in containers and small gateways. */
  ALPINE,
  /** Anything else; the identity fields still say what it is. */
  OTHER
}
