package org.edgesdk.store.forward.internal;

import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.store.forward.MqttTransport;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MQTT transport on Paho's asynchronous client; see {@link MqttTransport}. */
public final class PahoTransport implements PipelinedTransport {
  private static final Logger LOG = LoggerFactory.getLogger(PahoTransport.class);

  private final MqttTransport.Settings settings;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  /** The socket factory of plain TCP connections without a factory of the application's, else null. */
  private final @Nullable CoalescingSocketFactory coalescing;
  /** The current connection's output stream, when {@link #coalescing} made its socket. */
  private @Nullable CoalescingOutputStream output;
  private boolean closed;
  /** Counts connections, so that a late timeout does not drop a newer one. */
  private long connection;

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
    // TCP_NODELAY on every connection (see NoDelaySocketFactory); plain TCP also coalesces the
    // publishes of a batch into fewer writes and buffers reads (see CoalescingOutputStream)
    SSLSocketFactory given = settings.socketFactory();
    CoalescingSocketFactory plain = null;
    if (settings.serverUri().startsWith("ssl:")) {
      SSLSocketFactory tls = given != null ? given : (SSLSocketFactory) SSLSocketFactory.getDefault();
      options.setSocketFactory(new NoDelaySocketFactory.Tls(tls));
    } else if (given != null) {
      options.setSocketFactory(given); // Paho refuses a TLS factory for tcp://, as before
    } else {
      plain = new CoalescingSocketFactory(settings.maxInflight());
      options.setSocketFactory(plain);
    }
    this.coalescing = plain;
  }

  /**
   * Creates the transport without connecting.
   *
   * @param settings the settings
   * @return the transport
   * @throws IllegalArgumentException if Paho refuses the settings
   */
  public static PipelinedTransport create(MqttTransport.Settings settings) {
    try {
      return new PahoTransport(settings);
    } catch (MqttException | IllegalArgumentException e) {
      throw new IllegalArgumentException("MQTT client refused " + settings.serverUri() + ": " + e, e);
    }
  }

  @Override
  public SendResult send(List<Message> batch) {
    return sendAsync(batch).join();
  }

  @Override
  public int window() {
    return settings.maxInflight();
  }

  /**
   * Publishes every message of the batch without waiting; the answer completes when the broker
   * acknowledged all of them ({@code PUBACK} at QoS 1), or as unavailable when a publish fails,
   * the connection is lost or the publish timeout passes (which drops the connection, so that the
   * batches behind it fail too and the next send reconnects).
   */
  @Override
  public synchronized CompletableFuture<SendResult> sendAsync(List<Message> batch) {
    if (closed) {
      return CompletableFuture.completedFuture(SendResult.unavailable("transport closed", Optional.empty()));
    }
    if (!client.isConnected()) {
      try {
        client.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 1000);
        connection++;
        output = coalescing == null ? null : coalescing.latestOutput();
        LOG.info("connected to {}", settings.serverUri());
      } catch (MqttException e) {
        disconnectQuietly();
        return CompletableFuture.completedFuture(
            SendResult.unavailable("cannot connect to " + settings.serverUri() + ": " + tlsProblem(e) + reason(e),
                Optional.empty()));
      }
    }
    CompletableFuture<SendResult> answer = new CompletableFuture<>();
    SendResult timedOut = SendResult.unavailable("no acknowledgement from " + settings.serverUri() + " within "
        + settings.publishTimeout(), Optional.empty());
    long thisConnection = connection;
    answer.completeOnTimeout(timedOut, settings.publishTimeout().toNanos(), TimeUnit.NANOSECONDS);
    answer.thenAccept(result -> {
      if (result == timedOut) {
        dropConnection(thisConnection);
      }
    });
    AtomicInteger unconfirmed = new AtomicInteger(batch.size());
    CoalescingOutputStream out = output;
    IMqttActionListener listener = new IMqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        if (out != null) {
          out.publishSettled();
        }
        if (unconfirmed.decrementAndGet() == 0) {
          answer.complete(SendResult.delivered());
        }
      }

      @Override
      public void onFailure(IMqttToken token, Throwable e) {
        if (out != null) {
          out.publishSettled();
        }
        answer.complete(SendResult.unavailable("publish to " + settings.serverUri() + " failed: "
            + (e instanceof MqttException m ? reason(m) : String.valueOf(e)), Optional.empty()));
      }
    };
    int handed = 0;
    if (out != null && !batch.isEmpty()) {
      out.expectPublishes(batch.size());  // before the first publish: counted before Paho's sender writes it
    }
    try {
      for (Message m : batch) {
        if (answer.isDone()) {
          break; // failed already: the whole batch is sent again
        }
        MqttMessage mm = new MqttMessage(m.payload());
        mm.setQos(settings.qos());
        client.publish(settings.topic() + "/" + m.id(), mm, null, listener);
        handed++;
      }
    } catch (MqttException e) {
      disconnectQuietly();
      answer.complete(SendResult.unavailable("publish to " + settings.serverUri() + " failed: " + reason(e),
          Optional.empty()));
    } finally {
      if (out != null && handed < batch.size()) {
        withdraw(out, batch.size() - handed);
      }
    }
    return answer;
  }

  /** Withdraws publishes announced to the stream and not handed to Paho, writing out what it held. */
  private void withdraw(CoalescingOutputStream out, int n) {
    try {
      out.publishesNotSent(n);
    } catch (IOException e) {
      LOG.debug("write to {} failed: {}", settings.serverUri(), e.toString()); // Paho sees the broken connection too
    }
  }

  /** Drops the connection after a publish timeout, unless it was replaced since. */
  private synchronized void dropConnection(long which) {
    if (which == connection) {
      disconnectQuietly();
    }
  }

  /**
   * Names a failed TLS handshake and its fix, or returns "" when {@code e} is not one. The JDK's
   * messages ("PKIX path building failed", "No subject alternative names matching ...") do not say
   * which setting of ours to change.
   */
  private String tlsProblem(MqttException e) {
    SSLHandshakeException handshake = null;
    for (Throwable t = e; t != null && handshake == null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException h) {
        handshake = h;
      }
    }
    if (handshake == null) {
      return "";
    }
    String trust = settings.socketFactory() == null ? "the JDK's default trust store (no socket factory was given)"
        : "the socket factory given to MqttTransport.Builder.socketFactory";
    String host = settings.serverUri().substring("ssl://".length(), settings.serverUri().lastIndexOf(':'));
    boolean name = false;
    boolean untrusted = false;
    for (Throwable t = handshake; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      name |= m.contains("No subject alternative") || m.contains("No name matching");
      untrusted |= t instanceof CertPathBuilderException || m.contains("PKIX path")
          || m.contains("unable to find valid certification path");
    }
    if (name) {
      return "TLS handshake failed: the broker's certificate is not issued for '" + host + "' (hostname verification); "
          + "connect with a host name or IP address the certificate names in its subject alternative names, or give "
          + "the broker a certificate for '" + host + "'. ";
    }
    if (untrusted) {
      return "TLS handshake failed: the broker's certificate is not trusted by " + trust + "; pass "
          + "MqttTransport.Builder.socketFactory(SSLContext.getSocketFactory()) with an SSLContext whose trust store "
          + "holds the CA that signed the broker's certificate (or add that CA to the JDK trust store, "
          + "-Djavax.net.ssl.trustStore). ";
    }
    return "TLS handshake failed (" + handshake.getMessage() + "); check the broker's TLS listener, its certificate and "
        + trust + ". ";
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
