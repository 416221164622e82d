package org.edgesdk.examples.update;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.HostRoot;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.examples.ExampleArgs;
import org.edgesdk.ota.ab.AbUpdater;
import org.edgesdk.ota.ab.DeviceConfig;
import org.edgesdk.ota.ab.HealthCheck;
import org.edgesdk.ota.ab.UpdateState;
import org.edgesdk.ota.ab.UpdateStatus;

/**
 * A service that embeds the A/B update client, as a device's own application would:
 *
 * <ol>
 *   <li>at start, {@link AbUpdater#resume()} brings the update state up to date after the reboot;
 *   <li>in {@link UpdateState#TRIAL} (just booted into a new slot) it runs its health checks and the
 *       update is committed, or rolled back and the reboot command runs;
 *   <li>then, every {@code --check-every} seconds, it asks the repository for an update, installs it
 *       into the inactive slot and runs the reboot command to try it.
 * </ol>
 *
 * <p>Options (command line, else environment variable {@code EDGE_UPDATE_<NAME>}):
 * <pre>
 * --config FILE           the A/B device configuration (default /etc/edgesdk/device.json)
 * --host-root DIR         the directory standing in for / (its proc/cmdline names the booted slot; default /)
 * --health-file FILE      a health check: the file must exist (for example written by the application once up)
 * --health-timeout-s N    each health check's deadline (default 30)
 * --check-every-s N       seconds between update checks (default 3600)
 * --loops N               update checks before exiting (default 0 = run until stopped)
 * --reboot-command CMD    run to reboot after an install or rollback (default: print that a reboot is needed)
 * </pre>
 */
public final class UpdateService {
  private static final Set<String> OPTIONS = Set.of("config", "host-root", "health-file", "health-timeout-s",
      "check-every-s", "loops", "reboot-command");

  private final ExampleArgs args;
  private final PrintStream out;

  /**
   * Creates the service.
   *
   * @param args the command line
   * @param env the environment
   * @param out where the service reports
   * @throws IllegalArgumentException for an unknown option
   */
  public UpdateService(String[] args, Map<String, String> env, PrintStream out) {
    this.args = ExampleArgs.parse("update-service", args, env, "EDGE_UPDATE", OPTIONS);
    this.out = out;
  }

  /**
   * Runs the service from the command line.
   *
   * @param args the options above
   */
  public static void main(String[] args) {
    try {
      new UpdateService(args, System.getenv(), System.out).run();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (EdgeException e) {
      System.err.println("update-service: " + e.code() + ": " + e.problem() + "; fix: " + e.remedy());
      System.exit(1);
    }
  }

  /**
   * Resumes, checks health in trial, then checks for updates {@code --loops} times (or forever).
   *
   * @throws EdgeException if the configuration, the repository or the boot control fails
   */
  public void run() {
    DeviceConfig config = DeviceConfig.load(Path.of(args.get("config", "/etc/edgesdk/device.json")));
    AbUpdater updater = AbUpdater.builder(config)
        .hostRoot(HostRoot.of(Path.of(args.get("host-root", "/"))))
        .rebootAction(this::reboot)
        .build();

    UpdateStatus status = updater.resume();
    out.println("booted " + status.booted().orElse("?") + ", update state " + status.state()
        + status.target().map(t -> " (" + t + ")").orElse(""));
    if (status.state() == UpdateState.TRIAL) {
      String target = status.target().orElse("the update");
      if (updater.checkHealth(healthChecks())) {
        out.println("trial of " + target + ": health checks passed, committed");
      } else {
        out.println("trial of " + target + ": health checks failed, rolled back to "
            + updater.status().primary().orElse("?"));
        return; // the reboot action ran; this slot is going away
      }
    }

    long loops = args.getLong("loops", 0);
    Duration every = Duration.ofSeconds(args.getLong("check-every-s", 3600));
    for (long i = 0; loops == 0 || i < loops; i++) {
      if (i > 0) {
        sleep(every);
      }
      if (checkAndInstall(updater)) {
        return; // installed: the next start, after the reboot, runs the trial
      }
    }
  }

  private boolean checkAndInstall(AbUpdater updater) {
    Optional<TargetDescription> target;
    try {
      target = updater.chooseTarget(Optional.empty());
    } catch (EdgeException e) {
      out.println("update check failed: " + e.problem() + " (retrying at the next check)");
      return false;
    }
    if (target.isEmpty()) {
      out.println("up to date");
      return false;
    }
    TargetDescription t = target.get();
    String slot = updater.install(t);
    out.println("installed " + t.name() + " " + t.releaseVersion().orElse("") + " into slot " + slot
        + ", verified; rebooting to try it");
    reboot();
    return true;
  }

  /** The application's health checks; a real service would also check its own function. */
  private List<HealthCheck> healthChecks() {
    Duration deadline = Duration.ofSeconds(args.getLong("health-timeout-s", 30));
    List<HealthCheck> checks = new ArrayList<>();
    checks.add(new HealthCheck("heap", deadline, () -> Runtime.getRuntime().maxMemory() > 0));
    args.get("health-file").ifPresent(f ->
        checks.add(new HealthCheck("health-file " + f, deadline, () -> Files.exists(Path.of(f)))));
    return checks;
  }

  private void reboot() {
    Optional<String> command = args.get("reboot-command");
    if (command.isEmpty()) {
      out.println("reboot needed (no --reboot-command given)");
      return;
    }
    try {
      new ProcessBuilder("/bin/sh", "-c", command.get()).inheritIO().start().waitFor();
    } catch (IOException e) {
      out.println("reboot command failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
