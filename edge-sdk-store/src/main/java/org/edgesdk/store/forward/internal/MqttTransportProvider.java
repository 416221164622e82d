package org.edgesdk.store.forward.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.edgesdk.api.store.spi.Transport;
import org.edgesdk.api.store.spi.TransportProvider;
import org.edgesdk.store.forward.MqttTransport;

/**
 * Provides the MQTT transport for {@code tcp}, {@code mqtt}, {@code ssl} and {@code mqtts}. Loads
 * without Eclipse Paho; {@link #create} then fails with {@code UNSUPPORTED}. Options: {@code topic}
 * (required), {@code qos}, {@code clientId}, {@code username}, {@code password},
 * {@code connectTimeout} and {@code publishTimeout} (ISO-8601 durations), {@code maxInflight}.
 */
public final class MqttTransportProvider implements TransportProvider {

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public MqttTransportProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("tcp", "mqtt", "ssl", "mqtts");
  }

  @Override
  public Transport create(URI destination, Map<String, String> options) {
    String topic = options.get("topic");
    if (topic == null) {
      throw new IllegalArgumentException("the MQTT transport needs the option 'topic'");
    }
    MqttTransport.Builder b = MqttTransport.builder(destination, topic);
    Duration connect = Duration.ofSeconds(5);
    Duration publish = Duration.ofSeconds(15);
    String user = null;
    String password = "";
    for (Map.Entry<String, String> o : options.entrySet()) {
      String v = o.getValue();
      switch (o.getKey()) {
        case "topic" -> { }
        case "qos" -> b.qos(Integer.parseInt(v));
        case "clientId" -> b.clientId(v);
        case "username" -> user = v;
        case "password" -> password = v;
        case "connectTimeout" -> connect = Duration.parse(v);
        case "publishTimeout" -> publish = Duration.parse(v);
        case "maxInflight" -> b.maxInflight(Integer.parseInt(v));
        default -> throw new IllegalArgumentException("unknown MQTT transport option '" + o.getKey()
            + "'; known: topic, qos, clientId, username, password, connectTimeout, publishTimeout, maxInflight");
      }
    }
    if (user != null) {
      b.credentials(user, password.toCharArray());
    }
    return b.timeouts(connect, publish).build();
  }
}
