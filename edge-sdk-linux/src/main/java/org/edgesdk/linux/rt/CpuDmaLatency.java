package org.edgesdk.linux.rt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;

/**
 * A request on {@code /dev/cpu_dma_latency} (the PM QoS CPU latency interface): the kernel keeps
 * every CPU able to wake within the requested microseconds, out of deeper C-states, for as long as the
 * file stays open. Closing the handle closes the file and so withdraws the request. Made by
 * {@link RealTime#holdCpuDmaLatency(int)}.
 */
public final class CpuDmaLatency implements AutoCloseable {
  private final Path device;
  private final int microseconds;
  private final FileChannel channel;

  private CpuDmaLatency(Path device, int microseconds, FileChannel channel) {
    this.device = device;
    this.microseconds = microseconds;
    this.channel = channel;
  }

  static CpuDmaLatency open(HostRoot root, int microseconds) {
    if (microseconds < 0) {
      throw new IllegalArgumentException("CPU DMA latency " + microseconds + " us is negative");
    }
    Path device = root.resolve("/dev/cpu_dma_latency");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(device, StandardOpenOption.WRITE);
      // The kernel reads a 32-bit value in the CPU's byte order (or a hex string).
      ByteBuffer value = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, microseconds);
      while (value.hasRemaining()) {
        channel.write(value);
      }
      return new CpuDmaLatency(device, microseconds, channel);
    } catch (NoSuchFileException e) {
      throw new EdgeException(ErrorCode.UNSUPPORTED, device + " does not exist",
          "use a kernel with PM QoS (CONFIG_CPU_IDLE), or pass the device into the container"
              + " (--device /dev/cpu_dma_latency)", e);
    } catch (AccessDeniedException e) {
      throw new EdgeException(ErrorCode.PERMISSION_DENIED, "cannot open " + device + " for writing",
          "run as root or grant write access with a udev rule (the device is mode 0600)", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot request " + microseconds + " us on " + device
          + ": " + e.getMessage(), "check the device; the kernel accepts 0 to 2000000000 us", e);
    }
  }

  private static void closeQuietly(@org.jspecify.annotations.Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the request is withdrawn whether close reports an error or not
      }
    }
  }

  /**
   * Returns the requested latency.
   *
   * @return microseconds
   */
  public int microseconds() {
    return microseconds;
  }

  /**
   * Returns whether the request still holds (the file is open).
   *
   * @return {@code true} until {@link #close()}
   */
  public boolean isHeld() {
    return channel.isOpen();
  }

  /** Withdraws the request by closing the file. Closing twice does nothing. */
  @Override
  public void close() {
    closeQuietly(channel);
  }

  @Override
  public String toString() {
    return "CpuDmaLatency[" + device + ", " + microseconds + " us, " + (isHeld() ? "held" : "released") + "]";
  }
}
