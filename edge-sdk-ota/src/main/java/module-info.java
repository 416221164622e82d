/**
 * The Edge SDK's verified A/B update client: TUF-verified repositories, streaming install into the
 * inactive slot, and U-Boot and GRUB boot control.
 *
 * <p>Nothing is exported yet: the update API arrives with the OTA work (see the README's module
 * table). BouncyCastle and Jackson stay internal; none of their types will appear in this module's
 * API.
 */
module org.edgesdk.ota {
  requires transitive org.edgesdk.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires org.bouncycastle.provider;
  requires com.fasterxml.jackson.databind;
}
