package org.edgesdk.ota.boot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a boot control backend needs.
 *
 * @param file the backend's file: {@code fw_env.config} for {@code uboot}, the {@code grubenv}
 *     block for {@code grub}, the state file for {@code file}
 * @param slots the slot names in default boot order, for example {@code [A, B]}
 * @param attempts the boot attempts a slot gets when made primary or marked good (RAUC: 3)
 */
public record BootSettings(Path file, List<String> slots, int attempts) {

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if fewer than two slots are named, a name is not a plain
   *     word of letters and digits, names repeat, or attempts is not 1 to 255
   */
  public BootSettings {
    Objects.requireNonNull(file, "file");
    slots = List.copyOf(slots);
    if (slots.size() < 2 || slots.stream().distinct().count() != slots.size()) {
      throw new IllegalArgumentException("need at least two distinct slots but got " + slots);
    }
    for (String s : slots) {
      if (!s.matches("[A-Za-z0-9]+")) {
        throw new IllegalArgumentException("slot name '" + s + "' must be letters and digits only");
      }
    }
    if (attempts < 1 || attempts > 255) {
      throw new IllegalArgumentException("attempts must be 1..255 but was " + attempts);
    }
  }

  /**
   * Settings for slots A and B with RAUC's default of 3 attempts.
   *
   * @param file the backend's file
   * @return the settings
   */
  public static BootSettings ab(Path file) {
    return new BootSettings(file, List.of("A", "B"), 3);
  }
}
