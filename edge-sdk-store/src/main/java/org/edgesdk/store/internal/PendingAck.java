package org.edgesdk.store.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.Acknowledgement;
import org.edgesdk.api.store.Durability;

/** The acknowledgement of one enqueue, completed by the I/O thread. */
final class PendingAck implements Acknowledgement {
  /** Kept as a UUID: most producers never ask for the string. */
  private final java.util.UUID messageId;
  private final Durability durability;
  final CompletableFuture<Long> future = new CompletableFuture<>();
  /** Set by the I/O thread when the message is stored. */
  long sequence = -1;

  PendingAck(java.util.UUID messageId, Durability durability) {
    this.messageId = messageId;
    this.durability = durability;
  }

  @Override
  public String messageId() {
    return messageId.toString();
  }

  @Override
  public Durability durability() {
    return durability;
  }

  @Override
  public CompletionStage<Long> completion() {
    // Dependent actions run in the common pool, never on the queue's I/O thread, so a callback
    // can neither stall the store nor deadlock by calling back into the queue.
    return future.thenApplyAsync(Function.identity());
  }

  @Override
  public long await() {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw rethrow(e.getCause());
    }
  }

  @Override
  public long await(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        } catch (TimeoutException e) {
          throw new EdgeException(ErrorCode.TIMEOUT,
              "message " + messageId + " did not reach " + durability + " within " + timeout,
              "wait longer or check the storage device; the message may still be stored");
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new EdgeException(ErrorCode.INTERNAL, "unexpected failure: " + cause, "report this bug", cause);
  }

  @Override
  public String toString() {
    return "Acknowledgement[" + messageId + ", " + durability + ", " + (future.isDone() ? "done" : "pending") + "]";
  }
}
