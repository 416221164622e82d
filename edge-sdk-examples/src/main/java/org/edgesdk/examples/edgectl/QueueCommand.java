package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.store.Acknowledgement;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.Durability;
import org.edgesdk.api.store.DurableQueue;
import org.edgesdk.api.store.Message;
import org.edgesdk.api.store.NewMessage;
import org.edgesdk.api.store.QueueConfig;
import org.edgesdk.api.store.QueueStats;
import org.edgesdk.store.DurableQueues;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgectl queue}: produce into, inspect and consume from a durable queue directory.
 *
 * <p>JSON of {@code stats --json}: {@code {"messages": int, "bytes": int, "fileBytes": int, "lanes":
 * {name: {"messages": int, "bytes": int}}, "dropped": int, "expired": int, "deadLettered": int}};
 * {@code dump --json} prints one object per line: {@code {"id": string, "lane": string, "priority":
 * int, "size": int}}.
 */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Produce into, inspect and consume from a durable store-and-forward queue.",
    subcommands = {
        QueueCommand.Produce.class, QueueCommand.Stats.class, QueueCommand.Dump.class,
        QueueCommand.Consume.class, QueueForwardCommand.class})
final class QueueCommand implements Runnable {
  /** Created on first use, so commands that print no JSON lines never load Jackson's databind. */
  private static final class Lines {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing a subcommand (produce, stats, dump, consume or forward)");
  }

  static DurableQueue openExisting(Path dir) {
    if (!Files.isRegularFile(dir.resolve("queue.mv.db"))) {
      throw new EdgeException(ErrorCode.NOT_FOUND, "no queue in " + dir + " (no queue.mv.db there)",
          "check --dir, or create the queue with 'edgectl queue produce --dir " + dir + "'");
    }
    return DurableQueues.open(QueueConfig.builder(dir).build());
  }

  static String line(ObjectNode node) {
    try {
      return Lines.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode statsJson(QueueStats s) {
    ObjectNode node = Json.object();
    node.put("messages", s.messages());
    node.put("bytes", s.bytes());
    node.put("fileBytes", s.fileBytes());
    ObjectNode lanes = node.putObject("lanes");
    s.lanes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
      ObjectNode lane = lanes.putObject(e.getKey());
      lane.put("messages", e.getValue().messages());
      lane.put("bytes", e.getValue().bytes());
    });
    node.put("dropped", s.dropped());
    node.put("expired", s.expired());
    node.put("deadLettered", s.deadLettered());
    return node;
  }

  /** {@code edgectl queue produce}. */
  @Command(name = "produce", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Enqueue N messages; each payload is its message id in ASCII and a space, padded to --size.")
  static final class Produce implements Runnable {
    @Option(names = "--dir", required = true, description = "The queue directory (created if missing).")
    Path dir;

    @Option(names = "--count", required = true, description = "How many messages to enqueue.")
    int count;

    @Option(names = "--size", description = "Payload size in bytes, at least 37 (default: ${DEFAULT-VALUE}).",
        defaultValue = "256")
    int size;

    @Option(names = "--durability", description = "buffered, committed or synced (default: ${DEFAULT-VALUE}).",
        defaultValue = "synced")
    String durability;

    @Option(names = "--lane", description = "The lane (default: ${DEFAULT-VALUE}).", defaultValue = "default")
    String lane;

    @Option(names = "--print-acks", description = "Print each acknowledged id on its own line as it completes.")
    boolean printAcks;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      Durability level = parseDurability(spec, durability);
      if (count < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--count must not be negative, was " + count);
      }
      if (size < 37) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--size must be at least 37 (a 36-character id and a space), was " + size);
      }
      PrintWriter out = spec.commandLine().getOut();
      try (DurableQueue queue = DurableQueues.open(QueueConfig.builder(dir).build())) {
        BlockingQueue<Acknowledgement> pending = new ArrayBlockingQueue<>(4096);
        Acknowledgement last = null;
        EdgeException[] failed = {null};
        Thread printer = new Thread(() -> {
          try {
            while (true) {
              Acknowledgement a = pending.take();
              if (a.messageId().isEmpty()) {
                return;
              }
              a.await();
              if (printAcks) {
                out.println(a.messageId());
                out.flush();
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (EdgeException e) {
            failed[0] = e;
            pending.clear();
          }
        }, "edgectl-acks");
        printer.start();
        for (int i = 0; i < count && failed[0] == null; i++) {
          UUID id = UUID.randomUUID();
          byte[] payload = new byte[size];
          Arrays.fill(payload, (byte) '.');
          byte[] head = (id + " ").getBytes(StandardCharsets.US_ASCII);
          System.arraycopy(head, 0, payload, 0, head.length);
          last = queue.enqueue(NewMessage.of(payload).withId(id).withLane(lane).withDurability(level));
          putUninterruptibly(pending, last);
        }
        putUninterruptibly(pending, END);
        joinUninterruptibly(printer);
        if (failed[0] != null) {
          throw failed[0];
        }
        if (!printAcks) {
          out.println("produced " + count + " messages of " + size + " bytes at " + level
              + " into lane '" + lane + "' of " + dir);
          out.flush();
        }
      }
    }
  }

  private static final Acknowledgement END = new Acknowledgement() {
    @Override
    public String messageId() {
      return "";
    }

    @Override
    public Durability durability() {
      return Durability.BUFFERED;
    }

    @Override
    public java.util.concurrent.CompletionStage<Long> completion() {
      return java.util.concurrent.CompletableFuture.completedFuture(0L);
    }

    @Override
    public long await() {
      return 0;
    }

    @Override
    public long await(java.time.Duration timeout) {
      return 0;
    }
  };

  private static void putUninterruptibly(BlockingQueue<Acknowledgement> q, Acknowledgement a) {
    while (true) {
      try {
        q.put(a);
        return;
      } catch (InterruptedException e) {
        // edgectl is a one-shot command: finish handing over
      }
    }
  }

  private static void joinUninterruptibly(Thread t) {
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        // keep waiting for the acknowledgements
      }
    }
  }

  static Durability parseDurability(CommandLine.Model.CommandSpec spec, String value) {
    try {
      return Durability.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--durability must be buffered, committed or synced, was '" + value + "'");
    }
  }

  /** {@code edgectl queue stats}. */
  @Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Show what the queue holds, per lane, and what it dropped, expired or dead-lettered.")
  static final class Stats implements Runnable {
    @Option(names = "--dir", required = true, description = "The queue directory.")
    Path dir;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      QueueStats s;
      try (DurableQueue queue = openExisting(dir)) {
        s = queue.stats();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Json.print(out, statsJson(s));
        return;
      }
      out.println("messages       " + s.messages() + " (" + s.bytes() + " bytes)");
      out.println("file           " + s.fileBytes() + " bytes");
      s.lanes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e ->
          out.println("lane " + e.getKey() + "  " + e.getValue().messages() + " messages, "
              + e.getValue().bytes() + " bytes"));
      out.println("dropped        " + s.dropped());
      out.println("expired        " + s.expired());
      out.println("dead-lettered  " + s.deadLettered());
      out.println("quarantined    " + s.quarantined());
      out.flush();
    }
  }

  /** {@code edgectl queue dump}. */
  @Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "List every stored message in sequence order, without consuming.")
  static final class Dump implements Runnable {
    @Option(names = "--dir", required = true, description = "The queue directory.")
    Path dir;

    @CommandLine.ArgGroup(exclusive = true)
    @Nullable Format format;

    static final class Format {
      @Option(names = "--json", description = "One JSON object per line: id, lane, priority, size.")
      boolean json;

      @Option(names = "--ids", description = "Only the ids, one per line.")
      boolean ids;
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      try (DurableQueue queue = openExisting(dir)) {
        long next = 0;
        while (true) {
          List<Message> page = queue.browse(next, 1000);
          if (page.isEmpty()) {
            break;
          }
          for (Message m : page) {
            out.println(describe(m, format));
          }
          next = page.get(page.size() - 1).sequence() + 1;
        }
      }
      out.flush();
    }

    static String describe(Message m, @Nullable Format format) {
      if (format != null && format.ids) {
        return m.id();
      }
      if (format != null && format.json) {
        ObjectNode node = Json.object();
        node.put("id", m.id());
        node.put("lane", m.lane());
        node.put("priority", m.priority());
        node.put("size", m.size());
        return line(node);
      }
      return m.sequence() + " " + m.id() + " lane=" + m.lane() + " priority=" + m.priority() + " size="
          + m.size();
    }
  }

  /** {@code edgectl queue consume}. */
  @Command(name = "consume", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Read up to N messages through a named cursor; with --ack, acknowledge them.")
  static final class Consume implements Runnable {
    @Option(names = "--dir", required = true, description = "The queue directory.")
    Path dir;

    @Option(names = "--count", required = true, description = "The most messages to read.")
    int count;

    @Option(names = "--cursor", description = "The cursor name (default: ${DEFAULT-VALUE}).",
        defaultValue = "edgectl")
    String cursor;

    @Option(names = "--ack", description = "Acknowledge what was read, so this cursor does not see it again.")
    boolean ack;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      if (count < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, was " + count);
      }
      PrintWriter out = spec.commandLine().getOut();
      try (DurableQueue queue = openExisting(dir)) {
        Cursor c = queue.cursor(cursor);
        List<Message> batch = c.peek(count);
        for (Message m : batch) {
          out.println(Dump.describe(m, null) + " attempts=" + m.attempts());
        }
        if (ack) {
          c.ack(batch);
        }
        out.println((ack ? "acknowledged " : "read (not acknowledged) ") + batch.size() + " messages through cursor '"
            + cursor + "'");
      }
      out.flush();
    }
  }
}
