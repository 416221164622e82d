package org.edgesdk.ota.boot;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a boot control backend needs.
 *
 * @param file the backend's file: {@code fw_env.config} for {@code uboot}, the {@code grubenv}
 *     block for {@code grub}, the state file for {@code file}
 * @param slots the slot names in default boot order, for example {@code [A, B]}
 * @param attempts the boot attempts a slot gets when made primary or marked good (RAUC: 3)
 * @param variables the variable convention: {@code rauc} (RAUC's, every backend) or {@code mender}
 *     (Mender's U-Boot variables, {@code uboot} and {@code file} backends)
 * @param partitions each slot's partition number, for conventions that name the boot slot by its
 *     partition ({@code mender}: {@code mender_boot_part}); empty for {@code rauc}
 */
public record BootSettings(Path file, List<String> slots, int attempts, String variables, Map<String, Integer> partitions) {

  /** RAUC's variable convention (the default). */
  public static final String RAUC = "rauc";

  /** Mender's U-Boot variable convention. */
  public static final String MENDER = "mender";

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if fewer than two slots are named, a name is not a plain
   *     word of letters and digits, names repeat, attempts is not 1 to 255, the convention is not
   *     a lower-case word, or a partition names an unknown slot or a number outside 1 to 255
   */
  public BootSettings {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(variables, "variables");
    slots = List.copyOf(slots);
    partitions = Map.copyOf(partitions);
    if (!variables.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("variables must be a lower-case word such as rauc or mender but was '" + variables + "'");
    }
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
    for (Map.Entry<String, Integer> e : partitions.entrySet()) {
      if (!slots.contains(e.getKey()) || e.getValue() < 1 || e.getValue() > 255) {
        throw new IllegalArgumentException("partition " + e.getKey() + "=" + e.getValue()
            + " must name one of " + slots + " and a number 1..255");
      }
    }
  }

  /**
   * Settings with RAUC's variable convention and no partition numbers.
   *
   * @param file the backend's file
   * @param slots the slot names in default boot order
   * @param attempts the boot attempts a slot gets when made primary or marked good
   */
  public BootSettings(Path file, List<String> slots, int attempts) {
    this(file, slots, attempts, RAUC, Map.of());
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
