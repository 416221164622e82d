package org.edgesdk.ota.tuf.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
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
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
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
 * A repository over {@code http(s)://}: metadata and streamed targets through
 * {@link HttpURLConnection} (blocking reads into large buffers, several times faster than the
 * {@code java.net.http} client's 16 KiB buffers for a large target), {@link #download} to a file
 * through {@code java.net.http}, created on first use. Every transfer is bounded: a connect and
 * header timeout, a stall timeout between received bytes, an overall deadline, and a byte limit;
 * a target resumes with an HTTP {@code Range} request. No system property is read or set.
 */
public final class HttpTransport implements Transport {
  private static final long POLL_MILLIS = 50;

  private final URI base;
  private final Timeouts timeouts;
  private @Nullable HttpClient client; // only for download(): created on first use

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
  }

  private synchronized HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      c = HttpClient.newBuilder()
          .connectTimeout(timeouts.connect())
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
      client = c;
    }
    return c;
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

  /**
   * Fetches metadata through {@link HttpURLConnection} on the calling thread: no hand-over between
   * threads per response (the {@code java.net.http} client's selector and worker threads cost
   * milliseconds per small file on a busy device).
   */
  @Override
  public Optional<byte[]> fetch(String path, long maxLength) {
    URI uri = resolve(path);
    long start = System.nanoTime();
    Duration deadline = timeouts.metadataDeadline();
    HttpURLConnection conn = connect(uri, 0);
    try {
      int status = responseCode(conn, uri);
      if (status == 404) {
        return Optional.empty();
      }
      if (status != 200) {
        throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " answered HTTP " + status,
            "check the repository URL and that the server is serving the repository");
      }
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      byte[] buf = new byte[16 * 1024];
      long received = 0;
      try (InputStream in = conn.getInputStream()) {
        while (true) {
          int n;
          try {
            n = in.read(buf);
          } catch (java.net.SocketTimeoutException e) {
            throw new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL,
                "GET " + uri + " sent nothing for " + timeouts.stall().toMillis() + " ms after " + received + " bytes", e);
          }
          if (n < 0) {
            return Optional.of(sink.toByteArray());
          }
          received += n;
          if (received > maxLength) {
            throw new RepositoryRefusedException(Refusal.ENDLESS_DATA,
                "GET " + uri + " sent more than the " + maxLength + " bytes allowed");
          }
          sink.write(buf, 0, n);
          if (System.nanoTime() - start > deadline.toNanos()) {
            throw new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL,
                "GET " + uri + " did not finish within " + deadline.toSeconds() + " s after " + received + " bytes");
          }
        }
      } catch (IOException e) {
        throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " failed (" + e + ")",
            "check the network and the repository URL", e);
      }
    } finally {
      conn.disconnect();
    }
  }

  /** Opens a connection with the transport's timeouts, from byte {@code offset}; not yet sent. */
  private HttpURLConnection connect(URI uri, long offset) {
    HttpURLConnection conn;
    try {
      conn = (HttpURLConnection) uri.toURL().openConnection();
    } catch (IOException | ClassCastException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot open " + uri + " (" + e + ")",
          "check the repository URL", e);
    }
    conn.setConnectTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis())));
    // before the headers: connect, then the stall timeout; between bytes the stall timeout too
    conn.setReadTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, timeouts.stall().toMillis())));
    conn.setInstanceFollowRedirects(true);
    conn.setUseCaches(false);
    conn.setRequestProperty("Accept-Encoding", "identity");
    if (offset > 0) {
      conn.setRequestProperty("Range", "bytes=" + offset + "-");
    }
    return conn;
  }

  /** Sends the request and waits for the status; disconnects and throws on a timeout or failure. */
  private int responseCode(HttpURLConnection conn, URI uri) {
    try {
      return conn.getResponseCode();
    } catch (java.net.SocketTimeoutException e) {
      conn.disconnect();
      throw new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL,
          "GET " + uri + " sent no response within " + timeouts.connect().plus(timeouts.stall()).toMillis() + " ms", e);
    } catch (IOException e) {
      conn.disconnect();
      throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " failed (" + e + ")",
          "check the network and the repository URL", e);
    }
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

  /**
   * Streams a target through {@link HttpURLConnection}, not {@code java.net.http}: the JDK's
   * {@code HttpClient} hands a body over in 16 KiB buffers through its selector thread, which
   * measured 0.75 s for 256 MiB from nginx on loopback where a blocking socket read into 1 MiB
   * buffers took 0.20 s (the install pipeline's bottleneck). A reader thread fills a fixed ring of
   * {@link UrlBody#BUFFERS} buffers ahead of the consumer, so the network keeps flowing while the
   * caller hashes and writes; the same bounds apply (stall, overall deadline, byte limit).
   */
  @Override
  public InputStream open(String path, long offset, long length) {
    Transport.checkRange(offset, length);
    URI uri = resolve(path);
    Duration deadline = timeouts.targetDeadline(length);
    long start = System.nanoTime();
    HttpURLConnection conn = connect(uri, offset);
    int status = responseCode(conn, uri);
    if (status == 206) {
      String range = String.valueOf(conn.getHeaderField("Content-Range"));
      if (range.startsWith("bytes " + offset + "-")) {
        return UrlBody.start(conn, uri, 0, length - offset, length, start, deadline, timeouts.stall());
      }
      conn.disconnect();
      throw new EdgeException(ErrorCode.IO_ERROR, "GET " + uri + " answered the range request from byte " + offset
          + " with Content-Range '" + range + "'", "check that the server or proxy honours Range requests");
    }
    if (status == 200) { // the server ignored the range: skip what the caller has already
      return UrlBody.start(conn, uri, offset, length, length, start, deadline, timeouts.stall());
    }
    conn.disconnect();
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
   * A response body read ahead by a daemon thread ({@code edgesdk-ota-fetch}) into a fixed ring of
   * {@link #BUFFERS} buffers of {@link #BUFFER} bytes: each socket read goes straight into a large
   * buffer, and what is available is handed over at once (a slow server's first bytes are not held
   * back). Memory stays bounded whatever the file's size. Reads fail on a stall (the server sending
   * nothing while the reader waits on the network; not while it waits for the consumer to give a
   * buffer back, as behind a slow slot), past the overall deadline, or past the byte limit.
   * {@link #close()} disconnects, stops the thread and waits for it: the thread never outlives the
   * stream. It also {@linkplain Lending lends} its buffers, so
   * that an install hashes and writes the bytes where the socket read put them; a lent buffer is
   * filled again only once released, so the ring also bounds what is in flight downstream.
   */
  private static final class UrlBody extends InputStream implements Runnable, Lending {
    static final int BUFFER = 1 << 20;
    /** Enough for the hand-over to the slot writer and the read-ahead while they are lent out. */
    static final int BUFFERS = 8;
    /** The longest a buffer is filled before it is handed over while bytes keep coming. */
    private static final long HAND_OVER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Object END = new Object();
    private static final Object CLOSED = new Object();

    private final HttpURLConnection conn;
    private final URI uri;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Object> filled = new LinkedBlockingQueue<>();
    private final long limit;
    private final long total;
    private final long start;
    private final Duration deadline;
    private final Duration stall;
    private final Thread reader;
    private @Nullable Slice current;
    private long skip;
    private long received;
    private boolean ended;
    private volatile boolean closed;
    /**
     * When the reader thread last received bytes or got a free buffer to receive into: the stall
     * timeout counts from it while the reader waits on the network.
     */
    private volatile long lastReceived = System.nanoTime();
    /**
     * The reader waits for the consumer to give a buffer back: the consumer is slow (a slot write
     * or force taking long), not the server, so the stall timeout does not run.
     */
    private volatile boolean waitingForBuffer;

    /**
     * Bytes {@code [pos, len)} of {@code buf} not yet consumed. The buffer goes back to the free
     * pool when the consumer moved past it and every loan of its bytes was released: one reference
     * for being current, one per loan.
     */
    private final class Slice {
      final byte[] buf;
      final int len;
      int pos;
      private final java.util.concurrent.atomic.AtomicInteger refs = new java.util.concurrent.atomic.AtomicInteger(1);

      Slice(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
      }

      Loan lend(int n) {
        refs.incrementAndGet();
        Loan loan = new Loan(buf, pos, n, this::release);
        pos += n;
        return loan;
      }

      void release() {
        if (refs.decrementAndGet() == 0) {
          free.offer(buf); // never full: only BUFFERS buffers exist
        }
      }
    }

    private UrlBody(HttpURLConnection conn, URI uri, long skip, long limit, long total, long start, Duration deadline,
        Duration stall) {
      this.conn = conn;
      this.uri = uri;
      this.skip = skip;
      this.limit = limit;
      this.total = total;
      this.start = start;
      this.deadline = deadline;
      this.stall = stall;
      this.reader = new Thread(this, "edgesdk-ota-fetch");
      reader.setDaemon(true);
    }

    static UrlBody start(HttpURLConnection conn, URI uri, long skip, long limit, long total, long start,
        Duration deadline, Duration stall) {
      UrlBody body = new UrlBody(conn, uri, skip, limit, total, start, deadline, stall);
      for (int i = 0; i < BUFFERS; i++) {
        body.free.add(new byte[BUFFER]);
      }
      body.reader.start();
      return body;
    }

    /** The reader thread: fills free buffers from the socket until the end, an error or close. */
    @Override
    public void run() {
      try (InputStream in = conn.getInputStream()) {
        while (!closed) {
          byte[] b = free.poll();
          if (b == null) {
            waitingForBuffer = true;
            b = free.take();
            lastReceived = System.nanoTime(); // before the flag: a consumer seeing it cleared sees this
            waitingForBuffer = false;
          }
          int n = in.read(b, 0, b.length);
          if (n < 0) {
            free.add(b);
            filled.add(END);
            return;
          }
          long first = System.nanoTime();
          lastReceived = first;
          int m = 0;
          // what is already there joins this buffer; a slow trickle is handed over within 20 ms
          while (n < b.length && in.available() > 0 && System.nanoTime() - first < HAND_OVER_NANOS
              && (m = in.read(b, n, b.length - n)) > 0) {
            n += m;
            lastReceived = System.nanoTime();
          }
          filled.add(new Slice(b, n));
          if (m < 0) {
            filled.add(END);
            return;
          }
        }
      } catch (InterruptedException e) {
        // closed while waiting for a free buffer
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          filled.add(e);
        }
      }
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
      Slice head = readable();
      if (head == null) {
        return -1;
      }
      int n = Math.min(len, head.len - head.pos);
      System.arraycopy(head.buf, head.pos, b, off, n);
      head.pos += n;
      return n;
    }

    @Override
    public @Nullable Loan lend(int max) throws IOException {
      if (max < 1) {
        throw new IllegalArgumentException("max must be >= 1 but was " + max);
      }
      if (closed) {
        throw new IOException("stream closed");
      }
      Slice head = readable();
      return head == null ? null : head.lend(Math.min(max, head.len - head.pos));
    }

    /**
     * The slice holding the next unread byte, after dropping what is to be skipped and releasing
     * the slices read to their end; {@code null} at the end of the body.
     */
    private @Nullable Slice readable() throws IOException {
      while (true) {
        Slice head = current;
        if (head != null && head.pos < head.len) {
          if (skip > 0) {
            int drop = (int) Math.min(skip, head.len - head.pos);
            head.pos += drop;
            skip -= drop;
            continue;
          }
          return head;
        }
        if (head != null) {
          head.release();
          current = null;
        }
        if (ended) {
          return null;
        }
        takeNext();
      }
    }

    private void takeNext() throws IOException {
      Object item = null;
      while (item == null) {
        long now = System.nanoTime();
        long left = deadline.toNanos() - (now - start);
        if (left <= 0) {
          throw refuse("did not finish within " + deadline.toSeconds() + " s");
        }
        long quiet = waitingForBuffer ? 0 : now - lastReceived; // the flag first: see the field
        if (quiet >= stall.toNanos()) {
          throw refuse("sent nothing for " + stall.toMillis() + " ms");
        }
        try {
          item = filled.poll(Math.min(left, stall.toNanos() - quiet), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new InterruptedIOException("interrupted while reading " + uri);
        }
      }
      if (item == END) {
        ended = true;
        return;
      }
      if (item == CLOSED) {
        throw new IOException("stream closed");
      }
      if (item instanceof java.net.SocketTimeoutException) {
        throw refuse("sent nothing for " + stall.toMillis() + " ms");
      }
      if (item instanceof Throwable t) {
        close();
        throw t instanceof IOException io ? io : new IOException("GET " + uri + " failed (" + t + ")", t);
      }
      Slice slice = (Slice) item;
      received += slice.len;
      current = slice;
      if (received > limit) {
        close();
        throw new RepositoryRefusedException(Refusal.ENDLESS_DATA,
            "GET " + uri + " sent more than the " + total + " bytes allowed");
      }
    }

    private RepositoryRefusedException refuse(String why) {
      close();
      return new RepositoryRefusedException(Refusal.SLOW_RETRIEVAL, "GET " + uri + " " + why + " after " + received + " bytes");
    }

    /** Disconnects and stops the reader thread; safe from any thread, more than once. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      filled.add(CLOSED); // wakes a consumer waiting on another thread
      conn.disconnect(); // closes the socket: a blocked read fails
      reader.interrupt(); // a wait for a free buffer ends
      try {
        reader.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
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
    CompletableFuture<HttpResponse<Long>> future = client().sendAsync(request, handler);
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
              : !s.inSink && now - s.lastProgress > timeouts.stall().toNanos(); // the flag first
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
    /** When bytes last arrived or the sink last took some: the stall timeout counts from it. */
    volatile long lastProgress = System.nanoTime();
    /**
     * The sink is writing (a slow disk, not a slow server): the stall timeout does not run; the
     * next request for bytes waits for the sink.
     */
    volatile boolean inSink;

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
      inSink = true;
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
        if (s != null) {
          s.request(1);
        }
      } catch (IOException e) {
        if (s != null) {
          s.cancel();
        }
        result.completeExceptionally(e);
      } finally {
        lastProgress = System.nanoTime(); // before the flag: a poller seeing it cleared sees this
        inSink = false;
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
