package org.edgesdk.store.forward;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.store.DurableQueues;

/**
 * Run in a child JVM without Eclipse Paho: the queue, the forwarder and the HTTP transport work, the
 * MQTT transport says what is missing. Prints "OK" when all holds.
 */
public final class NoPahoChild {
  private NoPahoChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("nopaho");
    try (DurableQueue q = DurableQueues.open(QueueConfig.builder(dir).cursors("cloud").build())) {
      q.enqueue(NewMessage.of(new byte[] {1})).await();
      try (Forwarder f = Forwarder.builder(q).destination(Destination.builder("cloud",
          Transports.create(URI.create("http://127.0.0.1:9/none"), Map.of("connectTimeout", "PT1S"))).linger(Duration.ZERO)
          // a long backoff: the second step must find it running however slow the first send was
          .backoff(Duration.ofSeconds(60), Duration.ofSeconds(60), 2).build()).build()) {
        f.step("cloud", false);
        f.step("cloud", false);
        if (f.status("cloud").consecutiveFailures() != 1) {
          throw new AssertionError("expected one failed send, got " + f.status("cloud"));
        }
      }
      if (MqttTransport.available()) {
        throw new AssertionError("Paho should be absent");
      }
      try {
        Transports.create(URI.create("tcp://127.0.0.1:1883"), Map.of("topic", "t"));
        throw new AssertionError("MQTT without Paho should fail");
      } catch (EdgeException e) {
        if (e.code() != ErrorCode.UNSUPPORTED || !e.remedy().contains("org.eclipse.paho.client.mqttv3")) {
          throw e;
        }
      }
    }
    System.out.println("OK " + Duration.ZERO);
  }
}
