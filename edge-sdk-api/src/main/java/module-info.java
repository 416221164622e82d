/**
 * Contracts of the Edge SDK: the interfaces, immutable value types, exceptions and service-provider
 * interfaces that the implementation modules ({@code org.edgesdk.linux}, {@code org.edgesdk.store},
 * {@code org.edgesdk.ota}) implement.
 *
 * <p>This module depends on nothing but the JDK (JSpecify annotations are compile-time only), so an
 * application can compile against it alone and test with fakes.
 */
module org.edgesdk.api {
  requires static transitive org.jspecify;

  exports org.edgesdk.api;
  exports org.edgesdk.api.ota;
  exports org.edgesdk.api.store;
  exports org.edgesdk.api.store.spi;
}
