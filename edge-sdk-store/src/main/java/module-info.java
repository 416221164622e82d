/**
 * The Edge SDK's durable store-and-forward queue on H2 MVStore, and forwarding to HTTP and MQTT.
 *
 * <p>{@link org.edgesdk.store.DurableQueues} opens a queue; the contracts it implements are in
 * {@code org.edgesdk.api.store}. MVStore is an automatic module; no {@code org.h2.mvstore} type
 * appears in this module's API. {@link org.edgesdk.store.forward.Forwarder} drains a queue through
 * transports found with {@link java.util.ServiceLoader}. Eclipse Paho ({@code
 * org.eclipse.paho.client.mqttv3}, an automatic module) is optional: only the MQTT transport needs it.
 */
module org.edgesdk.store {
  requires transitive org.edgesdk.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires com.h2database.mvstore;
  requires java.net.http;
  requires jdk.net;
  requires static org.eclipse.paho.client.mqttv3;
  exports org.edgesdk.store;
  exports org.edgesdk.store.forward;

  uses org.edgesdk.api.store.spi.TransportProvider;
  provides org.edgesdk.api.store.spi.TransportProvider with
      org.edgesdk.store.forward.internal.HttpTransportProvider,
      org.edgesdk.store.forward.internal.MqttTransportProvider;
}
