/**
 * The Edge SDK's durable store-and-forward queue on H2 MVStore, and the forwarder that drains it to
 * HTTP and MQTT endpoints.
 *
 * <p>Nothing is exported yet: the queue API arrives with the store work (see the README's module
 * table). MVStore is an automatic module; no {@code org.h2.mvstore} type will appear in this module's
 * API.
 */
module org.edgesdk.store {
  requires transitive org.edgesdk.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires com.h2database.mvstore;
}
