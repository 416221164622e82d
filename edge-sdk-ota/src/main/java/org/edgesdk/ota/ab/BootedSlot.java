package org.edgesdk.ota.ab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.api.HostRoot;

/** Finds the booted slot from the kernel command line, read through an injected {@link HostRoot}. */
public final class BootedSlot {
  private BootedSlot() {}

  /**
   * Detects the booted slot: the configured {@code bootedSlot} if set, else {@code rauc.slot=NAME}
   * on {@code /proc/cmdline}, else the slot whose device is {@code root=DEVICE}.
   *
   * @param host the host root whose {@code /proc/cmdline} is read
   * @param config the device configuration
   * @return the booted slot, or empty if the command line names none of the slots
   */
  public static Optional<String> detect(HostRoot host, DeviceConfig config) {
    if (config.bootedSlot().isPresent()) {
      return config.bootedSlot();
    }
    String cmdline;
    try {
      cmdline = Files.readString(host.proc().resolve("cmdline"));
    } catch (IOException e) {
      return Optional.empty();
    }
    return fromCmdline(cmdline, config.slots());
  }

  /**
   * Finds the booted slot in a kernel command line.
   *
   * @param cmdline the command line
   * @param slots slot name to device
   * @return the slot {@code rauc.slot=} names, else the one whose device {@code root=} names
   */
  public static Optional<String> fromCmdline(String cmdline, Map<String, Path> slots) {
    String root = null;
    for (String word : cmdline.trim().split("\\s+")) {
      if (word.startsWith("rauc.slot=")) {
        String slot = word.substring("rauc.slot=".length());
        if (slots.containsKey(slot)) {
          return Optional.of(slot);
        }
      } else if (word.startsWith("root=")) {
        root = word.substring("root=".length());
      }
    }
    if (root != null) {
      for (Map.Entry<String, Path> e : slots.entrySet()) {
        if (e.getValue().toString().equals(root)) {
          return Optional.of(e.getKey());
        }
      }
    }
    return Optional.empty();
  }
}
