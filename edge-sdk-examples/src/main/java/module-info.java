/**
 * The {@code edgectl} command-line tool and the Edge SDK's example programs.
 *
 * <p>{@code edgectl} is built as a self-contained {@code edgectl.jar}; every subcommand follows the
 * conventions in {@link org.edgesdk.examples.edgectl.Edgectl}.
 */
module org.edgesdk.examples {
  requires org.edgesdk.api;
  requires org.edgesdk.linux;
  requires org.edgesdk.store;
  requires org.eclipse.paho.client.mqttv3;  // edgectl forwards over MQTT: resolve the optional module
  requires org.edgesdk.ota;
  requires transitive info.picocli;
  requires com.fasterxml.jackson.databind;
  requires jdk.httpserver;  // the demo's in-process HTTP sink
  requires static org.jspecify;

  exports org.edgesdk.examples.edgectl;

  opens org.edgesdk.examples.edgectl to info.picocli;
}
