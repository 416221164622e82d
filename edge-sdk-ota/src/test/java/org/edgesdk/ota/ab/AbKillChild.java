package org.edgesdk.ota.ab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.edgesdk.api.HostRoot;

/**
 * The child JVM of {@link AbKillTest}: one device (the directory {@code args[0]} holding
 * {@code device.json}, the slots, the state directory and {@code host/proc/cmdline}) runs a whole
 * update cycle: install of target {@code args[1]}, a simulated reboot through the bootloader rules,
 * resume, and a health check that passes when {@code args[2]} is {@code true}.
 *
 * <p>It prints every step name as {@link AbUpdater} reports it, on its own line and flushed, then
 * pauses {@code args[4]} milliseconds. At the step occurrence {@code args[3]} ({@code NAME#N}, or
 * {@code none}) it prints the line and then waits to be killed, so the parent's {@code kill -9} lands
 * exactly before that durable step. Lines it prints besides step names start with {@code #}.
 */
public final class AbKillChild {
  /** How long the child waits at its kill point for the parent's {@code kill -9}. */
  static final Duration WAIT_FOR_KILL = Duration.ofSeconds(60);

  private AbKillChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String target = args[1];
    boolean healthy = Boolean.parseBoolean(args[2]);
    String killAt = args[3];
    long pauseMillis = Long.parseLong(args[4]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    long started = System.nanoTime();
    Map<String, Integer> counts = new HashMap<>();
    Consumer<String> report = step -> {
      int n = counts.merge(step, 1, Integer::sum);
      out.println(step);
      out.flush();
      System.err.println(step + " at " + (System.nanoTime() - started) / 1_000_000 + " ms");
      try {
        if (killAt.equals(step + "#" + n)) {
          Thread.sleep(WAIT_FOR_KILL.toMillis());
          throw new IllegalStateException("not killed at " + killAt + " within " + WAIT_FOR_KILL);
        }
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
    out.println("# started");
    out.flush();
    AbUpdater u = updater(dir, report);
    u.install(u.chooseTarget(Optional.of(target)).orElseThrow());
    out.println("# reboot " + powerOn(dir));
    out.flush();
    u = updater(dir, report); // a fresh process after the reboot
    u.resume();
    boolean committed = u.checkHealth(List.of(new HealthCheck("app", Duration.ofSeconds(5), () -> healthy)));
    out.println("# done " + u.status().state() + " committed=" + committed);
    out.flush();
  }

  /** An updater for the device in {@code dir}, reporting steps to {@code step}. */
  static AbUpdater updater(Path dir, Consumer<String> step) {
    return AbUpdater.builder(DeviceConfig.load(dir.resolve("device.json")))
        .hostRoot(HostRoot.of(dir.resolve("host")))
        .onStep(step)
        .build();
  }

  /**
   * Powers the device on: the bootloader rules pick a slot (when no slot has attempts left the
   * script resets them and reboots, so it runs again), and the kernel command line names it.
   */
  static String powerOn(Path dir) throws IOException {
    AbUpdater u = updater(dir, s -> {});
    Optional<String> slot = u.bootControl().simulateBoot();
    if (slot.isEmpty()) {
      slot = u.bootControl().simulateBoot();
    }
    String booted = slot.orElseThrow(() -> new IllegalStateException("no slot boots after a reset of the attempts"));
    Files.writeString(dir.resolve("host/proc/cmdline"), "console=ttyS0 rauc.slot=" + booted + " rw\n");
    return booted;
  }
}
