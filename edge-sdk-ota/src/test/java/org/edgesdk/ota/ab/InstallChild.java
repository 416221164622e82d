package org.edgesdk.ota.ab;

import java.nio.file.Path;
import java.util.Optional;
import org.edgesdk.api.HostRoot;

/**
 * A child JVM for {@link ConstantMemoryTest}: installs one target from the device configuration
 * into the inactive slot and prints the slot, the heap limit and the highest heap use sampled every 5 ms.
 *
 * <p>Arguments: the device configuration file, the host root, the target name.
 */
public final class InstallChild {
  private InstallChild() {}

  /**
   * Runs the install.
   *
   * @param args device.json, host root directory, target name
   */
  public static void main(String[] args) {
    AbUpdater u = AbUpdater.builder(DeviceConfig.load(Path.of(args[0]))).hostRoot(HostRoot.of(Path.of(args[1]))).build();
    java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    Thread sampler = new Thread(() -> {
      Runtime rt = Runtime.getRuntime();
      while (true) {
        peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    long start = System.nanoTime();
    String slot = u.install(u.chooseTarget(Optional.of(args[2])).orElseThrow());
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("slot=" + slot + " maxHeap=" + Runtime.getRuntime().maxMemory() + " sampledPeakHeap=" + peak.get()
        + " millis=" + millis);
  }
}
