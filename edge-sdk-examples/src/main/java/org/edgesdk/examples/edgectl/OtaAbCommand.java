package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.ab.AbUpdater;
import org.edgesdk.ota.ab.DeviceConfig;
import org.edgesdk.ota.ab.SlotStatus;
import org.edgesdk.ota.ab.UpdateState;
import org.edgesdk.ota.ab.UpdateStatus;
import org.edgesdk.ota.boot.BootSettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgectl ota status|install|mark-good|mark-bad|simulate-boot}: the A/B update lifecycle of
 * one device, described by its device configuration file ({@code --config}).
 *
 * <p>Every command except {@code simulate-boot} first brings the persisted state up to date with
 * {@link AbUpdater#resume()} (an update booted into enters trial; a bootloader fallback is reported
 * as rolled back). {@code --root DIR} stands in for {@code /}: the booted slot is read from
 * {@code DIR/proc/cmdline}, and {@code simulate-boot} writes the slot it boots there.
 *
 * <p>JSON: {@code status --json}: {@code {"booted": string|null, "primary": string|null, "slots":
 * {name: {"state": "good"|"bad"|"trial"|"unknown", "version": string|null}}, "update": {"state":
 * string, "target": string|null, "progressBytes": int|null}}}; {@code install --json}:
 * {@code {"installed": bool, "target": string|null, "version": string|null, "slot": string|null,
 * "length": int|null, "reason": string|null}}; {@code mark-good --json} and {@code mark-bad --json}:
 * {@code {"result": "committed"|"marked-good"|"rolled-back", "slot": string, "version":
 * string|null}}; {@code simulate-boot --json}: {@code {"booted": string|null}}.
 */
final class OtaAbCommand {
  private OtaAbCommand() {}

  /** The options every A/B command shares. */
  static final class DeviceOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "The device configuration (JSON): compatible, bootloader, slots, stateDirectory, repository, trustedRoot.")
    Path config;

    @Mixin RootOption root;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    DeviceConfig load() {
      return DeviceConfig.load(config);
    }

    AbUpdater updater() {
      return updater(load());
    }

    AbUpdater updater(DeviceConfig device) {
      try {
        return AbUpdater.builder(device).hostRoot(root.root()).build();
      } catch (IllegalArgumentException e) {
        throw new EdgeException(ErrorCode.CORRUPT_DATA, "device configuration " + config + ": " + e.getMessage(),
            "fix the bootloader section; the README's 'Device configuration' section lists every key", e);
      }
    }
  }

  static String requireBooted(AbUpdater updater, DeviceOptions options) {
    return updater.bootedSlot().orElseThrow(() -> new EdgeException(ErrorCode.NOT_FOUND,
        "cannot tell the booted slot: " + options.root.root().proc().resolve("cmdline")
            + " has no rauc.slot= or root= naming a slot of " + options.config,
        "add rauc.slot=NAME to the kernel command line, or set bootedSlot in the device configuration"));
  }

  static String stateName(UpdateState state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static void put(ObjectNode node, String field, Optional<String> value) {
    if (value.isPresent()) {
      node.put(field, value.get());
    } else {
      node.putNull(field);
    }
  }

  static ObjectNode statusJson(UpdateStatus st) {
    ObjectNode doc = Json.object();
    put(doc, "booted", st.booted());
    put(doc, "primary", st.primary());
    ObjectNode slots = doc.putObject("slots");
    for (Map.Entry<String, SlotStatus> e : st.slots().entrySet()) {
      ObjectNode s = slots.putObject(e.getKey());
      s.put("state", e.getValue().state());
      put(s, "version", e.getValue().version());
    }
    ObjectNode update = doc.putObject("update");
    update.put("state", stateName(st.state()));
    put(update, "target", st.target());
    if (st.progressBytes().isPresent()) {
      update.put("progressBytes", st.progressBytes().getAsLong());
    } else {
      update.putNull("progressBytes");
    }
    return doc;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Show the booted and primary slots, each slot's state and version, and where the update stands.")
  static final class Status implements Runnable {
    @Mixin DeviceOptions options;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      AbUpdater updater = options.updater();
      UpdateStatus st = updater.resume();
      PrintWriter out = spec.commandLine().getOut();
      if (options.json) {
        Json.print(out, statusJson(st));
        return;
      }
      out.println("booted " + st.booted().orElse("unknown") + ", bootloader primary " + st.primary().orElse("none")
          + " (" + updater.bootControl().backend() + ")");
      for (Map.Entry<String, SlotStatus> e : st.slots().entrySet()) {
        out.printf("  slot %-3s %-8s %s%n", e.getKey(), e.getValue().state(), e.getValue().version().orElse("-"));
      }
      out.println("update " + stateName(st.state()) + st.target().map(t -> ": " + t).orElse("")
          + (st.progressBytes().isPresent() ? " (" + st.progressBytes().getAsLong() + " bytes written)" : ""));
      out.flush();
    }
  }

  @Command(name = "install", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Refresh the repository, choose (or name) a target, install it into the inactive slot and make it primary.")
  static final class Install implements Runnable {
    @Mixin DeviceOptions options;

    @Option(names = "--target", paramLabel = "NAME",
        description = "Install this target. Default: the newest installable one (or the one whose install was interrupted).")
    @Nullable String target;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      DeviceConfig device = options.load();
      AbUpdater updater = options.updater(device);
      UpdateStatus st = updater.resume();
      if (st.state() == UpdateState.INSTALLED || st.state() == UpdateState.TRIAL) {
        throw new EdgeException(ErrorCode.NOT_APPLIED, "update " + st.target().orElse("?") + " is "
            + stateName(st.state()) + (st.state() == UpdateState.INSTALLED ? " and waits for a reboot" : ""),
            st.state() == UpdateState.INSTALLED
                ? "reboot into it (edgectl ota simulate-boot in a test), then run mark-good or mark-bad"
                : "run 'edgectl ota mark-good' to commit it or 'edgectl ota mark-bad' to roll it back first");
      }
      String booted = requireBooted(updater, options);
      PrintWriter out = spec.commandLine().getOut();
      Optional<String> name = Optional.ofNullable(target);
      if (name.isEmpty() && st.state() == UpdateState.DOWNLOADING) {
        name = st.target(); // finish the interrupted install
      }
      Optional<TargetDescription> chosen = updater.chooseTarget(name);
      if (chosen.isEmpty()) {
        String running = st.slots().get(booted).version().orElse("an unknown version");
        String reason = "nothing to install: no target for '" + device.compatible() + "' newer than " + running
            + " that has not been rolled back";
        if (options.json) {
          ObjectNode doc = Json.object();
          doc.put("installed", false);
          doc.putNull("target");
          doc.putNull("version");
          doc.putNull("slot");
          doc.putNull("length");
          doc.put("reason", reason);
          Json.print(out, doc);
        } else {
          out.println(reason);
          out.flush();
        }
        return;
      }
      TargetDescription t = chosen.get();
      if (!options.json) {
        OptionalLong resumed = st.target().equals(Optional.of(t.name())) ? st.progressBytes() : OptionalLong.empty();
        out.println("installing " + t.name() + " " + t.releaseVersion().orElse("(no version)") + " (" + t.length()
            + " bytes, " + t.compression().metadataName() + ") into the inactive slot; booted " + booted
            + (resumed.isPresent() && resumed.getAsLong() > 0 ? "; resuming after " + resumed.getAsLong() + " bytes" : ""));
        out.flush();
      }
      Progress progress = options.json ? null : new Progress(options.updater(device), out);
      String slot;
      try {
        slot = updater.install(t);
      } catch (IllegalStateException e) { // the state changed under us, e.g. another slot booted mid-install
        throw new EdgeException(ErrorCode.NOT_APPLIED, "cannot install " + t.name() + ": " + e.getMessage(),
            "check 'edgectl ota status'; boot the slot the interrupted install started from, or finish the pending update", e);
      } finally {
        if (progress != null) {
          progress.stop();
        }
      }
      if (options.json) {
        ObjectNode doc = Json.object();
        doc.put("installed", true);
        doc.put("target", t.name());
        put(doc, "version", t.releaseVersion());
        doc.put("slot", slot);
        doc.put("length", t.length());
        doc.putNull("reason");
        Json.print(out, doc);
        return;
      }
      out.println("wrote " + t.name() + " to slot " + slot + " (" + device.slots().get(slot)
          + "), read back and verified; slot " + slot + " is primary: reboot to try it, then mark-good or mark-bad");
      out.flush();
    }
  }

  /** Prints the persisted write offset once a second while an install runs (it is saved every few MiB). */
  private static final class Progress {
    private final Thread thread;
    private volatile boolean running = true;

    Progress(AbUpdater reader, PrintWriter out) {
      thread = new Thread(() -> {
        long last = 0;
        while (running) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
          try {
            long now = reader.status().progressBytes().orElse(0);
            if (now > last && running) {
              out.println("  written " + now + " bytes");
              out.flush();
              last = now;
            }
          } catch (RuntimeException e) {
            // a state file being replaced is read again next second
          }
        }
      }, "edgectl-install-progress");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      running = false;
      thread.interrupt();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Command(name = "mark-good", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Commit the update in trial (slot marked good, anti-rollback floor raised); with none in trial, mark the booted slot good.")
  static final class MarkGood implements Runnable {
    @Mixin DeviceOptions options;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      AbUpdater updater = options.updater();
      UpdateStatus st = updater.resume();
      PrintWriter out = spec.commandLine().getOut();
      String slot;
      String result;
      if (st.state() == UpdateState.TRIAL) {
        slot = requireBooted(updater, options);
        updater.commit();
        result = "committed";
      } else {
        slot = requireBooted(updater, options);
        updater.bootControl().markGood(slot);
        result = "marked-good";
      }
      Optional<String> version = updater.status().slots().get(slot).version();
      if (options.json) {
        ObjectNode doc = Json.object();
        doc.put("result", result);
        doc.put("slot", slot);
        put(doc, "version", version);
        Json.print(out, doc);
        return;
      }
      if (result.equals("committed")) {
        out.println("committed " + st.target().orElse("the update") + " " + version.orElse("") + " in slot " + slot
            + ": marked good, anti-rollback floor raised");
      } else {
        out.println("no update in trial (" + stateName(st.state()) + "); marked the booted slot " + slot + " good");
      }
      out.flush();
    }
  }

  @Command(name = "mark-bad", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Roll back the update in trial: its slot is marked bad, the previous slot made primary; then reboot.")
  static final class MarkBad implements Runnable {
    @Mixin DeviceOptions options;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      AbUpdater updater = options.updater();
      UpdateStatus st = updater.resume();
      if (st.state() != UpdateState.TRIAL) {
        throw new EdgeException(ErrorCode.NOT_APPLIED, "no update is in trial (update state " + stateName(st.state())
            + st.target().map(t -> ", target " + t).orElse("") + "), so there is nothing to roll back",
            "mark-bad rolls back an update after the reboot into it; check 'edgectl ota status'");
      }
      String slot = requireBooted(updater, options);
      Optional<String> version = st.slots().get(slot).version();
      updater.rollback();
      Optional<String> next = updater.bootControl().primary();
      PrintWriter out = spec.commandLine().getOut();
      if (options.json) {
        ObjectNode doc = Json.object();
        doc.put("result", "rolled-back");
        doc.put("slot", slot);
        put(doc, "version", version);
        Json.print(out, doc);
        return;
      }
      out.println("rolled back " + st.target().orElse("the update") + " in slot " + slot + ": marked bad, never installed again; "
          + next.map(s -> "reboot to return to slot " + s).orElse("no slot is bootable"));
      out.flush();
    }
  }

  @Command(name = "simulate-boot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {"Apply the bootloader script's rules once to the boot environment (as at power-on) and print the slot it boots.",
          "With --root DIR, DIR/proc/cmdline then names that slot, as the kernel would."})
  static final class SimulateBoot implements Runnable {
    @Mixin DeviceOptions options;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      DeviceConfig device = options.load();
      AbUpdater updater = options.updater(device);
      Optional<String> booted = updater.bootControl().simulateBoot();
      HostRoot host = options.root.root();
      if (booted.isPresent() && !host.isSystem()) {
        writeCmdline(host, device, booted.get());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (options.json) {
        ObjectNode doc = Json.object();
        put(doc, "booted", booted);
        Json.print(out, doc);
        return;
      }
      out.println(booted.map(s -> "bootloader (" + updater.bootControl().backend() + ") booted slot " + s)
          .orElse("no slot has attempts left: the boot script resets the attempts and reboots"));
      out.flush();
    }

    /** Replaces {@code root=} and {@code rauc.slot=} on the tree's kernel command line, keeping the other words. */
    private static void writeCmdline(HostRoot host, DeviceConfig device, String slot) {
      Path file = host.proc().resolve("cmdline");
      List<String> words = new ArrayList<>();
      try {
        if (Files.exists(file)) {
          for (String w : Files.readString(file).trim().split("\\s+")) {
            if (!w.isEmpty() && !w.startsWith("root=") && !w.startsWith("rauc.slot=")) {
              words.add(w);
            }
          }
        }
        words.add("root=" + device.slots().get(slot));
        if (!device.variables().equals(BootSettings.MENDER)) {
          words.add("rauc.slot=" + slot); // Mender's kernel only gets root=
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join(" ", words) + "\n");
      } catch (IOException e) {
        throw new EdgeException(ErrorCode.IO_ERROR, "cannot write " + file + ": " + e.getMessage(),
            "give a --root directory this user can write", e);
      }
    }
  }
}
