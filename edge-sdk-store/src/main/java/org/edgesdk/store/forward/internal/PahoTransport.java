package org.edgesdk.store.forward.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.api.store.spi.Transport;
import org.edgesdk.store.forward.MqttTransport;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MQTT transport on Paho's asynchronous client; see {@link MqttTransport}. */
public final class PahoTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(PahoTransport.class);

  private final MqttTransport.Settings settings;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private boolean closed;

  private PahoTransport(MqttTransport.Settings settings) throws MqttException {
    this.settings = settings;
    // The queue is the durable store: Paho keeps in-flight publishes in memory only.
    this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    this.options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
    options.setKeepAliveInterval((int) Math.max(1, settings.keepAlive().toSeconds()));
    options.setMaxInflight(settings.maxInflight());
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    if (settings.username() != null) {
      options.setUserName(settings.username());
    }
    if (settings.password() != null) {
      options.setPassword(settings.password());
    }
    if (settings.socketFactory() != null) {
      options.setSocketFactory(settings.socketFactory());
    }
  }

  /**
   * Creates the transport without connecting.
   *
   * @param settings the settings
   * @return the transport
   * @throws IllegalArgumentException if Paho refuses the settings
   */
  public static Transport create(MqttTransport.Settings settings) {
    try {
      return new PahoTransport(settings);
    } catch (MqttException | IllegalArgumentException e) {
      throw new IllegalArgumentException("MQTT client refused " + settings.serverUri() + ": " + e, e);
    }
  }

  @Override
  public synchronized SendResult send(List<Message> batch) {
    if (closed) {
      return SendResult.unavailable("transport closed", Optional.empty());
    }
    long deadline = System.nanoTime() + settings.publishTimeout().toNanos();
    if (!client.isConnected()) {
      try {
        client.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 1000);
        LOG.info("connected to {}", settings.serverUri());
      } catch (MqttException e) {
        disconnectQuietly();
        return SendResult.unavailable("cannot connect to " + settings.serverUri() + ": " + reason(e), Optional.empty());
      }
    }
    List<IMqttDeliveryToken> tokens = new ArrayList<>(batch.size());
    try {
      for (Message m : batch) {
        MqttMessage mm = new MqttMessage(m.payload());
        mm.setQos(settings.qos());
        tokens.add(client.publish(settings.topic() + "/" + m.id(), mm));
      }
      for (IMqttDeliveryToken t : tokens) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          disconnectQuietly();
          return SendResult.unavailable("no acknowledgement from " + settings.serverUri() + " within "
              + settings.publishTimeout(), Optional.empty());
        }
        t.waitForCompletion(left);
        if (!t.isComplete()) {
          disconnectQuietly();
          return SendResult.unavailable("no acknowledgement from " + settings.serverUri() + " within "
              + settings.publishTimeout(), Optional.empty());
        }
      }
      return SendResult.delivered();
    } catch (MqttException e) {
      disconnectQuietly();
      return SendResult.unavailable("publish to " + settings.serverUri() + " failed: " + reason(e), Optional.empty());
    }
  }

  private static String reason(MqttException e) {
    return e.getMessage() + " (reason " + e.getReasonCode() + (e.getCause() == null ? "" : ", " + e.getCause()) + ")";
  }

  /** Drops a broken or timed-out connection so that the next send reconnects cleanly. */
  private void disconnectQuietly() {
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException e) {
      LOG.debug("disconnect from {} failed: {}", settings.serverUri(), e.toString());
    }
  }

  @Override
  public String describe() {
    return "mqtt " + settings.serverUri() + " topic " + settings.topic() + "/<id> qos " + settings.qos();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (client.isConnected()) {
        client.disconnect(1000).waitForCompletion(2000);
      }
    } catch (MqttException e) {
      disconnectQuietly();
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("close of {} failed: {}", settings.serverUri(), e.toString());
    }
  }
}
