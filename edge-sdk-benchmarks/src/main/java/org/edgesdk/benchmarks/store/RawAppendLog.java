package org.edgesdk.benchmarks.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.CRC32C;

/**
 * The physical limit baseline: length- and CRC-framed records appended to one file by one writer
 * thread with the queue's batching policy (drain everything pending, write it with one gathering
 * write, then {@code force} once if any record asked for it), so each {@code force} covers the same
 * group of concurrent producers as the queue's group commit.
 */
final class RawAppendLog implements AutoCloseable {
  private record Pending(ByteBuffer record, boolean force, CompletableFuture<Void> done) {}

  private final FileChannel channel;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

  RawAppendLog(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    writer = new Thread(this::loop, "raw-append-writer");
    writer.setDaemon(true);
    writer.start();
  }

  CompletableFuture<Void> append(byte[] payload, boolean force) {
    ByteBuffer record = ByteBuffer.allocate(8 + payload.length);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    record.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending(record, force, done));
    return done;
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, 10_000);
        ByteBuffer[] buffers = new ByteBuffer[batch.size()];
        boolean force = false;
        for (int i = 0; i < buffers.length; i++) {
          buffers[i] = batch.get(i).record();
          force |= batch.get(i).force();
        }
        long left = 0;
        for (ByteBuffer b : buffers) {
          left += b.remaining();
        }
        while (left > 0) {
          left -= channel.write(buffers);
        }
        if (force) {
          channel.force(false);
        }
        for (Pending p : batch) {
          p.done().complete(null);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        for (Pending p : batch) {
          p.done().completeExceptionally(new UncheckedIOException(e));
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
  }
}
