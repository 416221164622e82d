/**
 * The Edge SDK's durable store-and-forward queue on H2 MVStore.
 *
 * <p>{@link org.edgesdk.store.DurableQueues} opens a queue; the contracts it implements are in
 * {@code org.edgesdk.api.store}. MVStore is an automatic module; no {@code org.h2.mvstore} type
 * appears in this module's API.
 */
module org.edgesdk.store {
  requires transitive org.edgesdk.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires com.h2database.mvstore;

  exports org.edgesdk.store;
}
