package org.edgesdk.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;

/**
 * An MVStore file system ({@code edgefault:/path}) whose channels fail on command, like Square
 * tape's {@code BrokenRandomAccessFile} and OkHttp's {@code FaultyFileSystem}: the seam through which
 * the fault-injection tests break writes, tear them, fail {@code fsync} and fill the disk.
 */
public final class FaultyFilePath extends FilePath {
  static final String SCHEME = "edgefault";
  static final String PREFIX = SCHEME + ":";

  /** What the next I/O does. */
  enum Fault { NONE, FAIL_WRITE, TORN_WRITE, FAIL_FORCE, DISK_FULL }

  static volatile Fault fault = Fault.NONE;
  /** Writes that succeed before the fault strikes. */
  static final AtomicLong writesBeforeFault = new AtomicLong();
  /** For DISK_FULL: bytes that may still be written. */
  static final AtomicLong bytesLeft = new AtomicLong(Long.MAX_VALUE);
  static final AtomicLong faultsInjected = new AtomicLong();
  /** The names of the threads that wrote or forced, to prove all I/O is on the queue's thread. */
  static final java.util.Set<String> ioThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static final FaultyFilePath INSTANCE = new FaultyFilePath(null);

  private final FilePath base;

  private FaultyFilePath(FilePath base) {
    this.base = base;
    this.name = base == null ? PREFIX : PREFIX + base.name;
  }

  static void install() {
    FilePath.register(INSTANCE);
  }

  static void reset() {
    fault = Fault.NONE;
    writesBeforeFault.set(0);
    bytesLeft.set(Long.MAX_VALUE);
    faultsInjected.set(0);
    ioThreads.clear();
  }

  static void arm(Fault f, long afterWrites) {
    writesBeforeFault.set(afterWrites);
    fault = f;
  }

  private static FaultyFilePath wrap(FilePath p) {
    return p == null ? null : new FaultyFilePath(p);
  }

  @Override
  public FilePath getPath(String path) {
    return new FaultyFilePath(FilePath.get(path.substring(PREFIX.length())));
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public long size() {
    return base.size();
  }

  @Override
  public void moveTo(FilePath newName, boolean atomicReplace) {
    base.moveTo(((FaultyFilePath) newName).base, atomicReplace);
  }

  @Override
  public boolean createFile() {
    return base.createFile();
  }

  @Override
  public boolean exists() {
    return base.exists();
  }

  @Override
  public void delete() {
    base.delete();
  }

  @Override
  public List<FilePath> newDirectoryStream() {
    return base.newDirectoryStream().stream().map(p -> (FilePath) wrap(p)).toList();
  }

  @Override
  public FilePath toRealPath() {
    return wrap(base.toRealPath());
  }

  @Override
  public FilePath getParent() {
    return wrap(base.getParent());
  }

  @Override
  public boolean isDirectory() {
    return base.isDirectory();
  }

  @Override
  public boolean isRegularFile() {
    return base.isRegularFile();
  }

  @Override
  public boolean isAbsolute() {
    return base.isAbsolute();
  }

  @Override
  public long lastModified() {
    return base.lastModified();
  }

  @Override
  public boolean canWrite() {
    return base.canWrite();
  }

  @Override
  public void createDirectory() {
    base.createDirectory();
  }

  @Override
  public boolean setReadOnly() {
    return base.setReadOnly();
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    return new FaultyChannel(base.open(mode));
  }

  /** Delegates to the real channel, failing as armed. */
  static final class FaultyChannel extends FileBase {
    private final FileChannel channel;

    FaultyChannel(FileChannel channel) {
      this.channel = channel;
    }

    private boolean strikes() {
      return fault != Fault.NONE && writesBeforeFault.getAndDecrement() <= 0;
    }

    @Override
    public synchronized int write(ByteBuffer src, long position) throws IOException {
      ioThreads.add(Thread.currentThread().getName());
      Fault f = fault;
      if (f == Fault.DISK_FULL) {
        long left = bytesLeft.addAndGet(-src.remaining());
        if (left < 0) {
          faultsInjected.incrementAndGet();
          throw new IOException("No space left on device");
        }
        return channel.write(src, position);
      }
      if ((f == Fault.FAIL_WRITE || f == Fault.TORN_WRITE) && strikes()) {
        faultsInjected.incrementAndGet();
        if (f == Fault.TORN_WRITE) {
          ByteBuffer half = src.duplicate();
          half.limit(half.position() + half.remaining() / 2);
          int torn = half.remaining();
          channel.write(half, position);
          channel.force(false);
          throw new IOException("torn write: " + torn + " of " + src.remaining() + " bytes written");
        }
        throw new IOException("Input/output error (injected write failure)");
      }
      return channel.write(src, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      long pos = channel.position();
      int n = write(src, pos);
      channel.position(pos + n);
      return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      ioThreads.add(Thread.currentThread().getName());
      if (fault == Fault.FAIL_FORCE) {
        faultsInjected.incrementAndGet();
        throw new IOException("Input/output error (injected fsync failure)");
      }
      channel.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return channel.read(dst, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return channel.read(dst);
    }

    @Override
    public long position() throws IOException {
      return channel.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      channel.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      channel.truncate(size);
      return this;
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return channel.tryLock(position, size, shared);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return channel.lock(position, size, shared);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return channel.map(mode, position, size);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      channel.close();
    }
  }
}
