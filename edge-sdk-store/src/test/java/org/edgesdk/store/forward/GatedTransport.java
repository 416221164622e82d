package org.edgesdk.store.forward;

import java.time.Duration;
import java.util.List;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.spi.SendResult;
import org.edgesdk.api.store.spi.Transport;

/** Wraps a real transport; a closed gate holds the forwarder before its next send (test control). */
final class GatedTransport implements Transport {
  private final Transport inner;
  private boolean open = true;
  private int waiting;

  GatedTransport(Transport inner) {
    this.inner = inner;
  }

  synchronized void shut() {
    open = false;
  }

  synchronized void open() {
    open = true;
    notifyAll();
  }

  /** Waits until a send is held at the closed gate. */
  synchronized boolean awaitHeld(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (waiting == 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  @Override
  public SendResult send(List<Message> batch) {
    synchronized (this) {
      while (!open) {
        waiting++;
        notifyAll();
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return SendResult.unavailable("interrupted at the gate", java.util.Optional.empty());
        } finally {
          waiting--;
        }
      }
    }
    return inner.send(batch);
  }

  @Override
  public String describe() {
    return "gated " + inner.describe();
  }

  @Override
  public void close() {
    open();
    inner.close();
  }
}
