/**
 * The Edge SDK's verified update client and publisher: TUF-verified repositories
 * ({@link org.edgesdk.ota.tuf.TufClient}, {@link org.edgesdk.ota.repo.RepositoryPublisher}); A/B
 * install and U-Boot and GRUB boot control follow.
 *
 * <p>BouncyCastle and Jackson stay internal; none of their types appear in this module's API.
 */
module org.edgesdk.ota {
  requires transitive org.edgesdk.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires org.bouncycastle.provider;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;

  exports org.edgesdk.ota.tuf;
  exports org.edgesdk.ota.repo;
}
