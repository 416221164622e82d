package org.edgesdk.store.forward;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.api.store.spi.Transport;

/** A fake at the SPI seam: answers from a script (then "delivered"), records every batch. */
final class ScriptedTransport implements Transport {
  final Deque<SendResult> script = new ArrayDeque<>();
  final List<List<Message>> batches = new ArrayList<>();
  final List<String> delivered = new ArrayList<>();
  boolean closed;

  ScriptedTransport then(SendResult... results) {
    script.addAll(List.of(results));
    return this;
  }

  @Override
  public synchronized SendResult send(List<Message> batch) {
    batches.add(batch);
    SendResult r = script.isEmpty() ? SendResult.delivered() : script.poll();
    if (r instanceof SendResult.Delivered) {
      batch.forEach(m -> delivered.add(m.id()));
    }
    return r;
  }

  @Override
  public String describe() {
    return "scripted";
  }

  @Override
  public void close() {
    closed = true;
  }
}
