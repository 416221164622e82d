package org.edgesdk.ota.tuf.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.tuf.Refusal;
import org.edgesdk.ota.tuf.RepositoryRefusedException;
import org.edgesdk.ota.tuf.Timeouts;
import org.edgesdk.ota.tuf.Transport;
import org.jspecify.annotations.Nullable;

/**
 * A repository over {@code http(s)://} through {@code java.net.http}. Every transfer is bounded: a
 * connect and header timeout, a stall timeout between received bytes, an overall deadline, and a
 * byte limit; a target download resumes with an HTTP {@code Range} request.
 */
public final class HttpTransport implements Transport {
  private static final long POLL_MILLIS = 50;

  private final URI base;
  private final Timeouts timeouts;
  private final HttpClient client;

  /**
   * Creates the transport.
   *
   * @param base the repository's top URL
   * @param timeouts the transfer bounds
   */
  public HttpTransport(URI base, Timeouts timeouts) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.timeouts = timeouts;
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeouts.connect())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** Resolves a repository path, percent-encoding every byte outside the unreserved set. */
  URI resolve(String path) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
        encoded.append(c);
      } else {
        encoded.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return base.resolve(encoded.toString());
  }

  @Override
  public Optional<byte[]> fetch(String path, long maxLength) {
    URI uri = resolve(path);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeouts.connect()).GET().build();
    int status = transfer(request, sink, maxLength, timeouts.metadataDeadline());
    if (status == 404) {
      return Optional.empty();
    }
    if (status != 200) {
      throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " answered HTTP " + status,
          "check the repository URL and that the server is serving the repository");
    }
    return Optional.of(sink.toByteArray());
  }

  @Override
  public void download(String path, long length, Path partial) {
    URI uri = resolve(path);
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        if (have > length) {
          Files.delete(partial);
          have = 0;
        }
        if (have == length) {
          return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeouts.connect()).GET();
        if (have > 0) {
          request.header("Range", "bytes=" + have + "-");
        }
        long resumeFrom = have;
        ResumeSink sink = new ResumeSink(partial, resumeFrom);
        int status;
        try {
          status = transfer(request.build(), sink, length - resumeFrom, length, timeouts.targetDeadline(length), sink);
        } finally {
          sink.close();
        }
        if (status == 200 || status == 206) {
          return;
        }
        if (status == 416) {
          Files.deleteIfExists(partial); // the partial file does not fit the server's copy: restart
          continue;
        }
        if (status == 404) {
          throw new EdgeException(ErrorCode.NOT_FOUND, "GET " + uri + " answered HTTP 404",
              "republish the repository; the metadata lists a target that is missing");
        }
        throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " answered HTTP " + status,
            "check the repository URL and that the server is serving the repository");
      }
      throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " refused the resumed range twice",
          "delete " + partial + " and retry");
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot write " + partial + " (" + e + ")",
          "check that the destination directory is writable and has space", e);
    }
  }

  @Override
  public InputStream open(String path, long offset, long length) {
    Transport.checkRange(offset, length);
    URI uri = resolve(path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeouts.connect()).GET();
    if (offset > 0) {
      request.header("Range", "bytes=" + offset + "-");
    }
    Duration deadline = timeouts.targetDeadline(length);
    long start = System.nanoTime();
    HttpResponse.BodyHandler<@Nullable InputStream> handler = info -> {
      int code = info.statusCode();
      if (code == 206) {
        String range = info.headers().firstValue("Content-Range").orElse("");
        if (!range.startsWith("bytes " + offset + "-")) {
          return HttpResponse.BodySubscribers.replacing(null);
        }
        return new StreamingBody(uri, 0, length - offset, length, start, deadline, timeouts.stall());
      }
      if (code == 200) { // the server ignored the range: skip what the caller has already
        return new StreamingBody(uri, offset, length, length, start, deadline, timeouts.stall());
      }
      return HttpResponse.BodySubscribers.replacing(null);
    };
    CompletableFuture<HttpResponse<@Nullable InputStream>> future = client.sendAsync(request.build(), handler);
    HttpResponse<@Nullable InputStream> response;
    long headerWait = timeouts.connect().plus(timeouts.stall()).toMillis();
    try {
      response = future.get(headerWait, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL,
          "GET " + uri + " sent no response within " + headerWait + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new EdgeException(ErrorCode.IO_ERROR, "interrupted while opening " + uri, "retry the update", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL,
            "GET " + uri + " did not answer within " + timeouts.connect().toMillis() + " ms", cause);
      }
      throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " failed (" + cause + ")",
          "check the network and the repository URL", cause);
    }
    int status = response.statusCode();
    InputStream body = response.body();
    if (body != null) {
      return body;
    }
    if (status == 206) {
      throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " answered the range request from byte " + offset
          + " with Content-Range '" + response.headers().firstValue("Content-Range").orElse("") + "'",
          "check that the server or proxy honours Range requests");
    }
    if (status == 404) {
      throw new EdgeException(ErrorCode.NOT_FOUND, "GET " + uri + " answered HTTP 404",
          "republish the repository; the metadata lists a target that is missing");
    }
    if (status == 416) {
      throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " answered HTTP 416 to a range from byte " + offset,
          "the server's copy is shorter than the metadata lists; republish the repository");
    }
    throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " answered HTTP " + status,
        "check the repository URL and that the server is serving the repository");
  }

  /**
   * A response body read as a stream with back-pressure: at most {@link #WINDOW} batches of
   * buffers (each typically one 16 KiB buffer) are requested ahead of the reader, so the network
   * keeps flowing while the reader hashes and writes, and memory stays bounded whatever the file's
   * size. Reads fail on a stall, past the
   * overall deadline, or past the byte limit.
   */
  private static final class StreamingBody extends InputStream implements HttpResponse.BodySubscriber<@Nullable InputStream> {
    private static final Object END = new Object();
    /** Batches requested ahead of the reader; one more is requested as each is taken. */
    private static final int WINDOW = 32;

    private final URI uri;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final ArrayDeque<ByteBuffer> current = new ArrayDeque<>();
    private final long limit;
    private final long total;
    private final long start;
    private final Duration deadline;
    private final Duration stall;
    private long skip;
    private long received;
    private boolean ended;
    private volatile boolean closed;
    private volatile Flow.@Nullable Subscription subscription;

    StreamingBody(URI uri, long skip, long limit, long total, long start, Duration deadline, Duration stall) {
      this.uri = uri;
      this.skip = skip;
      this.limit = limit;
      this.total = total;
      this.start = start;
      this.deadline = deadline;
      this.stall = stall;
    }

    @Override
    public CompletionStage<@Nullable InputStream> getBody() {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (closed) {
        s.cancel();
      } else {
        s.request(WINDOW);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
      queue.add(throwable);
    }

    @Override
    public void onComplete() {
      queue.add(END);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (closed) {
        throw new IOException("stream closed");
      }
      if (len == 0) {
        return 0;
      }
      while (true) {
        while (!current.isEmpty() && !current.peekFirst().hasRemaining()) {
          current.removeFirst();
        }
        ByteBuffer head = current.peekFirst();
        if (head != null) {
          if (skip > 0) {
            int drop = (int) Math.min(skip, head.remaining());
            head.position(head.position() + drop);
            skip -= drop;
            continue;
          }
          int n = Math.min(len, head.remaining());
          head.get(b, off, n);
          return n;
        }
        if (ended) {
          return -1;
        }
        takeNext();
      }
    }

    @SuppressWarnings("unchecked")
    private void takeNext() throws IOException {
      Object item;
      try {
        long left = deadline.toNanos() - (System.nanoTime() - start);
        if (left <= 0) {
          throw refuse("did not finish within " + deadline.toSeconds() + " s");
        }
        item = queue.poll(Math.min(left, stall.toNanos()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new InterruptedIOException("interrupted while reading " + uri);
      }
      if (item == null) {
        boolean overdue = System.nanoTime() - start >= deadline.toNanos();
        throw refuse(overdue ? "did not finish within " + deadline.toSeconds() + " s"
            : "sent nothing for " + stall.toMillis() + " ms");
      }
      if (item == END) {
        ended = true;
        return;
      }
      if (item instanceof Throwable t) {
        close();
        throw t instanceof IOException io ? io : new IOException("GET " + uri + " failed (" + t + ")", t);
      }
      List<ByteBuffer> buffers = (List<ByteBuffer>) item;
      for (ByteBuffer buffer : buffers) {
        received += buffer.remaining();
        current.addLast(buffer);
      }
      if (received > limit) {
        close();
        throw new RepositoryRefusedException(Refusal.ENDLESS_DATA,
            "GET " + uri + " sent more than the " + total + " bytes allowed");
      }
      Flow.@Nullable Subscription s = subscription;
      if (s != null) {
        s.request(1);
      }
    }

    private RepositoryRefusedException refuse(String why) {
      close();
      return new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL, "GET " + uri + " " + why + " after " + received + " bytes");
    }

    @Override
    public void close() {
      closed = true;
      current.clear();
      Flow.@Nullable Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  /** Appends to the partial file on 206, truncates and writes from the start on 200. */
  private static final class ResumeSink extends OutputStream implements StatusAware {
    private final Path file;
    private final long resumeFrom;
    private @Nullable OutputStream out;

    ResumeSink(Path file, long resumeFrom) {
      this.file = file;
      this.resumeFrom = resumeFrom;
    }

    @Override
    public long onStatus(HttpResponse.ResponseInfo info) throws IOException {
      if (info.statusCode() == 206) {
        String range = info.headers().firstValue("Content-Range").orElse("");
        if (!range.startsWith("bytes " + resumeFrom + "-")) {
          throw new IOException("the server answered the range request with Content-Range '" + range + "'");
        }
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return resumeFrom;
      }
      if (info.statusCode() == 200) {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
        return 0;
      }
      return -1;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (out == null) {
        throw new IOException("no response status yet");
      }
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (out != null) {
        out.close();
        out = null;
      }
    }
  }

  /** A sink that learns the response status first; returns the offset its bytes start at, or -1. */
  private interface StatusAware {
    long onStatus(HttpResponse.ResponseInfo info) throws IOException;
  }

  private int transfer(HttpRequest request, OutputStream sink, long maxLength, Duration deadline) {
    return transfer(request, sink, maxLength, maxLength, deadline, null);
  }

  /**
   * Runs one request, streaming a 200/206 body into the sink. {@code limit} bounds the bytes of
   * this response, {@code total} is the full file length for messages.
   */
  private int transfer(HttpRequest request, OutputStream sink, long limit, long total, Duration deadline,
      @Nullable StatusAware statusAware) {
    AtomicReference<@Nullable LimitedSubscriber> current = new AtomicReference<>();
    long start = System.nanoTime();
    HttpResponse.BodyHandler<Long> handler = info -> {
      int code = info.statusCode();
      if (code != 200 && code != 206) {
        return HttpResponse.BodySubscribers.replacing(-1L);
      }
      long limitHere = limit;
      if (statusAware != null) {
        try {
          long offset = statusAware.onStatus(info);
          limitHere = total - offset;
        } catch (IOException e) {
          return new FailedSubscriber(e);
        }
      }
      LimitedSubscriber s = new LimitedSubscriber(sink, limitHere);
      current.set(s);
      return s;
    };
    CompletableFuture<HttpResponse<Long>> future = client.sendAsync(request, handler);
    try {
      while (true) {
        try {
          return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
          LimitedSubscriber s = current.get();
          long now = System.nanoTime();
          // Before the headers the connect timeout applies, then the stall timeout between bytes.
          boolean stalled = s == null
              ? now - start > timeouts.connect().plus(timeouts.stall()).toNanos()
              : now - s.lastProgress > timeouts.stall().toNanos();
          if (stalled || now - start > deadline.toNanos()) {
            future.cancel(true);
            if (s != null) {
              s.cancel();
            }
            String why = now - start > deadline.toNanos()
                ? "did not finish within " + deadline.toSeconds() + " s"
                : s == null
                    ? "sent no response within " + timeouts.connect().plus(timeouts.stall()).toMillis() + " ms"
                    : "sent nothing for " + timeouts.stall().toMillis() + " ms";
            throw new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL,
                "GET " + request.uri() + " " + why + " after " + (s == null ? 0 : s.count) + " bytes");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new EdgeException(ErrorCode.IO_ERROR, "interrupted while fetching " + request.uri(),
          "retry the update", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TooLongException) {
        throw new RepositoryRefusedException(Refusal.ENDLESS_DATA,
            "GET " + request.uri() + " sent more than the " + total + " bytes allowed");
      }
      if (cause instanceof HttpTimeoutException) {
        throw new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL,
            "GET " + request.uri() + " did not answer within " + timeouts.connect().toMillis() + " ms", cause);
      }
      throw new EdgeException(ErrorCode.IO_ERROR, "GET " + request.uri() + " failed (" + cause + ")",
          "check the network and the repository URL", cause);
    }
  }

  private static final class TooLongException extends IOException {
    private static final long serialVersionUID = 1L;
  }

  private static final class FailedSubscriber implements HttpResponse.BodySubscriber<Long> {
    private final CompletableFuture<Long> result = new CompletableFuture<>();

    FailedSubscriber(IOException e) {
      result.completeExceptionally(e);
    }

    @Override
    public CompletionStage<Long> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }

  /** Streams a body into a sink, failing past the limit, and records when bytes last arrived. */
  private static final class LimitedSubscriber implements HttpResponse.BodySubscriber<Long> {
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final OutputStream sink;
    private final long limit;
    private volatile Flow.@Nullable Subscription subscription;
    volatile long count;
    volatile long lastProgress = System.nanoTime();

    LimitedSubscriber(OutputStream sink, long limit) {
      this.sink = sink;
      this.limit = limit;
    }

    void cancel() {
      Flow.@Nullable Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      result.completeExceptionally(new IOException("cancelled"));
    }

    @Override
    public CompletionStage<Long> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      Flow.@Nullable Subscription s = subscription;
      try {
        for (ByteBuffer buffer : buffers) {
          int n = buffer.remaining();
          if (count + n > limit) {
            if (s != null) {
              s.cancel();
            }
            result.completeExceptionally(new TooLongException());
            return;
          }
          byte[] bytes = new byte[n];
          buffer.get(bytes);
          sink.write(bytes);
          count += n;
        }
        lastProgress = System.nanoTime();
        if (s != null) {
          s.request(1);
        }
      } catch (IOException e) {
        if (s != null) {
          s.cancel();
        }
        result.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(count);
    }
  }
}
