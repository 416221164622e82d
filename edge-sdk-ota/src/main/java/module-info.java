/**
 * The Edge SDK's verified update client and publisher: TUF-verified repositories
 * ({@link org.edgesdk.ota.tuf.TufClient}, {@link org.edgesdk.ota.repo.RepositoryPublisher}); A/B
 * boot control through U-Boot, GRUB or a plain file ({@link org.edgesdk.ota.boot.BootControls}).
 *
 * <p>BouncyCastle and Jackson stay internal; none of their types appear in this module's API.
 * {@code org.tukaani.xz} is optional ({@code requires static}): xz-compressed targets install only
 * where the application adds it.
 */
module org.edgesdk.ota {
  requires transitive org.edgesdk.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires org.bouncycastle.provider;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;
  requires static org.tukaani.xz; // optional: xz-compressed targets

  exports org.edgesdk.ota.tuf;
  exports org.edgesdk.ota.repo;
  exports org.edgesdk.ota.ab;
  exports org.edgesdk.ota.boot;
  exports org.edgesdk.ota.boot.spi;

  uses org.edgesdk.ota.boot.spi.BootControlProvider;

  provides org.edgesdk.ota.boot.spi.BootControlProvider with
      org.edgesdk.ota.boot.internal.Providers.UBoot,
      org.edgesdk.ota.boot.internal.Providers.Grub,
      org.edgesdk.ota.boot.internal.Providers.File;
}
