package org.edgesdk.store.forward;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import javax.net.ssl.SSLSocketFactory;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Builds the MQTT 3.1.1 transport on Eclipse Paho ({@code org.eclipse.paho.client.mqttv3}), an
 * optional dependency: an application that forwards over MQTT adds the Paho artifact and, on the
 * module path, {@code requires org.eclipse.paho.client.mqttv3} (or {@code --add-modules}); one that
 * does not needs nothing of it.
 *
 * <p>Each message is published with its payload unchanged to {@code topic/<message id>} (MQTT 3.1.1
 * has no user properties), so a subscriber to {@code topic/#} reads the id from the topic's last
 * level and drops duplicates. A batch is delivered when the broker acknowledged every publish (QoS 1
 * {@code PUBACK}, QoS 2 {@code PUBCOMP}); QoS 0 is confirmed when written and gives no guarantee.
 * The transport connects on the first send, with a clean session; after a lost connection the next
 * send reconnects, and the whole batch is sent again (a subscriber may see duplicates, never a gap).
 * A forwarder keeps several batches in flight on it, up to {@link Builder#maxInflight} publishes, and
 * its sockets have Nagle's algorithm off ({@code TCP_NODELAY}). Over plain TCP (without a socket
 * factory of the application's) a batch's publishes leave in a few large writes rather than one
 * write each (a publish is held back only while more of its batch is on its way, at most 32 KiB),
 * reads are buffered, and on Linux, once everything is written, what arrives is acknowledged at once
 * ({@code TCP_QUICKACK}), so a broker with Nagle's algorithm on does not hold its {@code PUBACK}s for a
 * delayed TCP acknowledgement.
 * URIs are {@code tcp://host:port} (also {@code mqtt://}) or {@code ssl://host:port} (also
 * {@code mqtts://}) for TLS.
 */
public final class MqttTransport {
  private MqttTransport() {}

  /**
   * Starts an MQTT transport.
   *
   * @param broker the broker URI: {@code tcp}, {@code mqtt}, {@code ssl} or {@code mqtts}
   * @param topic the topic prefix; each message goes to {@code topic/<id>}
   * @return a builder
   * @throws IllegalArgumentException if the scheme is not one of those, the URI has no host, or the
   *     topic is blank or holds a wildcard
   */
  public static Builder builder(URI broker, String topic) {
    return new Builder(broker, topic);
  }

  /**
   * Returns whether the Paho module or classes are present.
   *
   * @return true if {@link Builder#build()} can succeed
   */
  public static boolean available() {
    try {
      Class.forName("org.eclipse.paho.client.mqttv3.MqttAsyncClient", false, MqttTransport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The settings of one MQTT transport.
   *
   * @param serverUri the Paho server URI ({@code tcp://} or {@code ssl://})
   * @param topic the topic prefix
   * @param qos 0, 1 or 2
   * @param clientId the client id
   * @param username the user name, if any
   * @param password the password, if any
   * @param socketFactory the TLS socket factory for {@code ssl://}, if not the JDK's default
   * @param connectTimeout the connect timeout
   * @param publishTimeout the limit on publishing one batch
   * @param keepAlive the keep-alive interval
   * @param maxInflight the most unacknowledged publishes
   */
  public record Settings(String serverUri, String topic, int qos, String clientId, @Nullable String username,
      char @Nullable [] password, @Nullable SSLSocketFactory socketFactory, Duration connectTimeout,
      Duration publishTimeout, Duration keepAlive, int maxInflight) {
    /** Checks the components. */
    public Settings {
      Objects.requireNonNull(serverUri, "serverUri");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(publishTimeout, "publishTimeout");
      Objects.requireNonNull(keepAlive, "keepAlive");
    }
  }

  /** Builds the MQTT transport; each setter documents its default. */
  public static final class Builder {
    private final String serverUri;
    private final String topic;
    private int qos = 1;
    private String clientId = "edgesdk-" + UUID.randomUUID().toString().substring(0, 8);
    private @Nullable String username;
    private char @Nullable [] password;
    private @Nullable SSLSocketFactory socketFactory;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration publishTimeout = Duration.ofSeconds(15);
    private Duration keepAlive = Duration.ofSeconds(30);
    private int maxInflight = 1000;

    private Builder(URI broker, String topic) {
      Objects.requireNonNull(broker, "broker");
      Objects.requireNonNull(topic, "topic");
      String scheme = broker.getScheme() == null ? "" : broker.getScheme().toLowerCase(Locale.ROOT);
      String paho = switch (scheme) {
        case "tcp", "mqtt" -> "tcp";
        case "ssl", "mqtts" -> "ssl";
        default -> throw new IllegalArgumentException("MQTT broker URI must be tcp://, mqtt://, ssl:// or mqtts://, was "
            + broker);
      };
      if (broker.getHost() == null) {
        throw new IllegalArgumentException("MQTT broker URI has no host: " + broker);
      }
      int port = broker.getPort() >= 0 ? broker.getPort() : paho.equals("ssl") ? 8883 : 1883;
      this.serverUri = paho + "://" + broker.getHost() + ":" + port;
      if (topic.isBlank() || topic.contains("#") || topic.contains("+") || topic.endsWith("/")) {
        throw new IllegalArgumentException("topic must be non-blank, without wildcards or a trailing '/', was '"
            + topic + "'");
      }
      this.topic = topic;
    }

    /**
     * Sets the quality of service. If not invoked, 1 (at least once).
     *
     * @param qos 0, 1 or 2
     * @return this builder
     */
    public Builder qos(int qos) {
      if (qos < 0 || qos > 2) {
        throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
      }
      this.qos = qos;
      return this;
    }

    /**
     * Sets the client id. If not invoked, {@code edgesdk-} and 8 random hex digits.
     *
     * @param clientId the id, 1 to 23 characters for strict MQTT 3.1.1 brokers
     * @return this builder
     */
    public Builder clientId(String clientId) {
      if (Objects.requireNonNull(clientId, "clientId").isEmpty()) {
        throw new IllegalArgumentException("clientId must not be empty");
      }
      this.clientId = clientId;
      return this;
    }

    /**
     * Sets the credentials. If not invoked, none.
     *
     * @param username the user name
     * @param password the password (copied)
     * @return this builder
     */
    public Builder credentials(String username, char[] password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * Sets the TLS socket factory for {@code ssl://} brokers (trust store, client certificate). If
     * not invoked, the JDK's default.
     *
     * @param factory the factory
     * @return this builder
     */
    public Builder socketFactory(SSLSocketFactory factory) {
      this.socketFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Bounds connecting and publishing one batch. If not invoked, 5 s and 15 s.
     *
     * @param connect the connect timeout, at least one second (MQTT counts whole seconds)
     * @param publish the limit on one batch's acknowledgements
     * @return this builder
     */
    public Builder timeouts(Duration connect, Duration publish) {
      if (connect.compareTo(Duration.ofSeconds(1)) < 0 || publish.isNegative() || publish.isZero()) {
        throw new IllegalArgumentException("connect timeout must be at least 1 s and publish timeout positive, were "
            + connect + " and " + publish);
      }
      this.connectTimeout = connect;
      this.publishTimeout = publish;
      return this;
    }

    /**
     * Sets the most publishes awaiting acknowledgement. The forwarder keeps several batches in
     * flight within this window (the next batch is published while the broker confirms the previous
     * ones; each batch is acknowledged in the queue when all its publishes are confirmed): keep it at
     * least twice the forwarder's batch size. If not invoked, 1000.
     *
     * @param maxInflight the limit, positive
     * @return this builder
     */
    public Builder maxInflight(int maxInflight) {
      if (maxInflight < 1) {
        throw new IllegalArgumentException("maxInflight must be positive, was " + maxInflight);
      }
      this.maxInflight = maxInflight;
      return this;
    }

    /**
     * Builds the transport; it connects on the first send.
     *
     * @return the transport
     * @throws EdgeException with {@link ErrorCode#UNSUPPORTED} if Eclipse Paho is not on the module or
     *     class path
     */
    public Transport build() {
      if (!available()) {
        throw new EdgeException(ErrorCode.UNSUPPORTED,
            "the MQTT transport needs Eclipse Paho (org.eclipse.paho.client.mqttv3), which is not present",
            "add org.eclipse.paho:org.eclipse.paho.client.mqttv3:1.2.5 to the application and, on the module path, "
                + "'requires org.eclipse.paho.client.mqttv3' or --add-modules org.eclipse.paho.client.mqttv3");
      }
      Settings s = new Settings(serverUri, topic, qos, clientId, username, password, socketFactory,
          connectTimeout, publishTimeout, keepAlive, maxInflight);
      return org.edgesdk.store.forward.internal.PahoTransport.create(s);
    }
  }
}
