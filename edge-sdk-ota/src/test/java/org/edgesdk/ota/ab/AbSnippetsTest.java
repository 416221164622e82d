package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.edgesdk.api.HostRoot;
import org.edgesdk.api.ota.TargetDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of the {@code {@snippet}} example in the A/B package's Javadoc and the README's
 * quickstart, run on {@link AbFixture}'s simulated device (file slots, file boot backend, a local
 * TUF repository), so the example cannot rot.
 */
class AbSnippetsTest {
  @TempDir Path dir;

  @Test
  void snippet_installRebootAndCheckHealth_commits() throws Exception {
    AbFixture f = new AbFixture(dir);
    f.publish("rootfs-2.img", AbFixture.image(2, 200_000), "2.0", 2, false);
    Path configFile = f.configFile;
    HostRoot host = f.host;

    Optional<String> installed = startUp(configFile, host);
    assertEquals(Optional.of("B"), installed);
    assertEquals("B", f.powerOn());
    assertEquals(Optional.empty(), startUp(configFile, host));
    assertEquals(UpdateState.COMMITTED, f.updater(s -> {}).status().state());
  }

  /** What an application does at each start; returns the slot written when it installed an update. */
  private static Optional<String> startUp(Path configFile, HostRoot host) {
    Optional<String> written = Optional.empty();
    // @start region="ab-updater"
    AbUpdater updater = AbUpdater.builder(DeviceConfig.load(configFile))
        .hostRoot(host)                                   // HostRoot.system() on the device
        .rebootAction(() -> { /* e.g. run "systemctl reboot" */ })
        .build();
    if (updater.resume().state() == UpdateState.TRIAL) {  // just booted into the new slot
      HealthCheck app = new HealthCheck("app", Duration.ofSeconds(30), () -> true /* the app works */);
      updater.checkHealth(List.of(app));                  // commits, or rolls back and reboots
    }
    Optional<TargetDescription> update = updater.chooseTarget(Optional.empty()); // TUF-verified
    if (update.isPresent()) {
      written = Optional.of(updater.install(update.get())); // written, read back, made primary
      // reboot into it; the next start runs the trial above
    }
    // @end
    return written;
  }
}
