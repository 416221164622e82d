package org.edgesdk.ota.boot.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.ota.boot.BootSettings;
import org.edgesdk.ota.boot.Environment;

/**
 * Mender's U-Boot convention (meta-mender's {@code env_mender.h} with U-Boot's
 * {@code CONFIG_BOOTCOUNT_LIMIT} and {@code CONFIG_BOOTCOUNT_ENV}): {@code mender_boot_part} is the
 * partition number U-Boot boots (decimal, {@code mender_boot_part_hex} the same in hexadecimal);
 * {@code upgrade_available=1} means the partition is on trial. While on trial U-Boot increments
 * {@code bootcount} (decimal) and saves it at every boot, and once {@code bootcount > bootlimit}
 * ({@code bootlimit=1}) runs {@code altbootcmd}, which switches {@code mender_boot_part} to the other
 * partition, sets {@code upgrade_available=0} and saves. Mender's client installs by writing the
 * new partition, {@code upgrade_available=1} and {@code bootcount=0} in one write, and commits by
 * writing {@code upgrade_available=0}.
 *
 * <p>The two slots map to partition numbers through {@link BootSettings#partitions()}; the first
 * slot is Mender's rootfs A. Mapped onto {@link org.edgesdk.ota.boot.BootControl}: the boot order is
 * the boot partition's slot, followed during a trial by the other slot ({@code altbootcmd}'s
 * fallback); the boot slot has {@code bootlimit - bootcount} attempts left during a trial and 1
 * otherwise (U-Boot then boots it without counting); the fallback has 1 during a trial and is not
 * in the order otherwise. Missing variables take {@code env_mender.h}'s defaults: the first slot,
 * {@code upgrade_available=0}, {@code bootcount=0}, {@code bootlimit=1}.
 */
public final class MenderUBootControl extends VariablesControl {
  static final String BOOT_PART = "mender_boot_part";
  static final String BOOT_PART_HEX = "mender_boot_part_hex";
  static final String UPGRADE = "upgrade_available";
  static final String BOOTCOUNT = "bootcount";
  static final String BOOTLIMIT = "bootlimit";

  private final String backend;

  /**
   * Creates the control.
   *
   * @param backend the backend name reported
   * @param env the variable store
   * @param settings exactly two slots, each with its partition number
   * @throws IllegalArgumentException if there are not exactly two slots or a slot has no partition
   *     number, or both have the same one
   */
  public MenderUBootControl(String backend, Environment env, BootSettings settings) {
    super(env, settings);
    this.backend = backend;
    if (settings.slots().size() != 2) {
      throw new IllegalArgumentException("Mender's variables handle exactly two slots but got " + settings.slots());
    }
    for (String s : settings.slots()) {
      if (!settings.partitions().containsKey(s)) {
        throw new IllegalArgumentException("slot " + s + " has no partition number for mender_boot_part (partitions: "
            + settings.partitions() + ")");
      }
    }
    if (settings.partitions().get(settings.slots().get(0)).equals(settings.partitions().get(settings.slots().get(1)))) {
      throw new IllegalArgumentException("both slots have partition " + settings.partitions().get(settings.slots().get(0)));
    }
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  String orderVariable() {
    return BOOT_PART;
  }

  private int part(String slot) {
    return settings.partitions().get(slot);
  }

  private String other(String slot) {
    return settings.slots().get(0).equals(slot) ? settings.slots().get(1) : settings.slots().get(0);
  }

  /** U-Boot's {@code env_get_ulong(name, 10, dflt)}: leading decimal digits, else the default. */
  static long ulong(Map<String, String> vars, String name, long dflt) {
    String v = vars.get(name);
    if (v == null) {
      return dflt;
    }
    String t = v.trim();
    int end = 0;
    while (end < t.length() && end < 18 && Character.isDigit(t.charAt(end))) {
      end++;
    }
    return end == 0 ? dflt : Long.parseLong(t.substring(0, end));
  }

  /** The slot {@code mender_boot_part} names; the first slot if unset; empty if it names no slot. */
  private Optional<String> bootSlot(Map<String, String> vars) {
    if (!vars.containsKey(BOOT_PART)) {
      return Optional.of(settings.slots().get(0));
    }
    long p = ulong(vars, BOOT_PART, -1);
    return settings.slots().stream().filter(s -> part(s) == p).findFirst();
  }

  private static boolean upgrading(Map<String, String> vars) {
    return ulong(vars, UPGRADE, 0) != 0;
  }

  @Override
  List<String> order(Map<String, String> vars) {
    List<String> out = new ArrayList<>();
    bootSlot(vars).ifPresent(boot -> {
      out.add(boot);
      if (upgrading(vars)) {
        out.add(other(boot));
      }
    });
    return out;
  }

  @Override
  int left(Map<String, String> vars, String slot) {
    Optional<String> boot = bootSlot(vars);
    if (boot.isEmpty()) {
      return 0;
    }
    boolean upgrading = upgrading(vars);
    if (boot.get().equals(slot)) {
      long limit = ulong(vars, BOOTLIMIT, 1);
      if (!upgrading || limit == 0) {
        return 1;
      }
      return (int) Math.max(0, Math.min(255, limit - ulong(vars, BOOTCOUNT, 0)));
    }
    return upgrading ? 1 : 0;
  }

  private void fillDefaults(Map<String, String> vars) {
    vars.putIfAbsent(BOOTLIMIT, "1");
    vars.putIfAbsent(BOOTCOUNT, "0");
    vars.putIfAbsent(UPGRADE, "0");
    if (!vars.containsKey(BOOT_PART)) {
      setBootSlot(vars, settings.slots().get(0));
    }
  }

  private void setBootSlot(Map<String, String> vars, String slot) {
    vars.put(BOOT_PART, Integer.toString(part(slot)));
    vars.put(BOOT_PART_HEX, Integer.toHexString(part(slot)));
  }

  /** One read-modify-write; nothing is written when the variables do not change. */
  private void change(java.util.function.Consumer<Map<String, String>> edit) {
    Map<String, String> before = load();
    Map<String, String> vars = new LinkedHashMap<>(before);
    fillDefaults(vars);
    edit.accept(vars);
    if (!vars.equals(before)) {
      store(vars);
    }
  }

  @Override
  public void markUnbootable(String slot) {
    markBad(slot);
  }

  /**
   * Marks a slot bad as Mender's rollback does: if U-Boot would boot it, the other partition
   * becomes the boot partition; either way the trial ends ({@code upgrade_available=0}), so
   * {@code altbootcmd} never falls back to it.
   */
  @Override
  public void markBad(String slot) {
    check(slot);
    change(vars -> {
      if (bootSlot(vars).map(slot::equals).orElse(true)) {
        setBootSlot(vars, other(slot));
      }
      vars.put(UPGRADE, "0");
      vars.put(BOOTCOUNT, "0");
    });
  }

  /** Makes a slot the boot partition on trial: the partition, {@code upgrade_available=1}, {@code bootcount=0}. */
  @Override
  public void activate(String slot) {
    check(slot);
    change(vars -> {
      setBootSlot(vars, slot);
      vars.put(UPGRADE, "1");
      vars.put(BOOTCOUNT, "0");
    });
  }

  /**
   * Commits a slot: the boot partition's trial ends ({@code upgrade_available=0}). The fallback of
   * a trial is left as it is (it is good already); a slot that is neither becomes the boot
   * partition, the only way Mender's variables keep a slot bootable.
   */
  @Override
  public void markGood(String slot) {
    check(slot);
    change(vars -> {
      boolean boot = bootSlot(vars).map(slot::equals).orElse(false);
      if (boot) {
        vars.put(UPGRADE, "0");
      } else if (!upgrading(vars)) {
        setBootSlot(vars, slot);
      }
    });
  }

  /**
   * Applies U-Boot's boot-count rules once: during a trial {@code bootcount} is incremented and
   * saved; past {@code bootlimit}, {@code altbootcmd} switches to the other partition and ends the
   * trial; then {@code mender_boot_part} boots.
   */
  @Override
  public Optional<String> simulateBoot() {
    Map<String, String> vars = load();
    fillDefaults(vars);
    if (upgrading(vars)) {
      long count = ulong(vars, BOOTCOUNT, 0) + 1;
      vars.put(BOOTCOUNT, Long.toString(count));
      long limit = ulong(vars, BOOTLIMIT, 0);
      if (limit != 0 && count > limit) {
        // mender_altbootcmd: switch partitions, end the trial, saveenv; then bootcmd boots it
        bootSlot(vars).ifPresent(b -> setBootSlot(vars, other(b)));
        vars.put(UPGRADE, "0");
      }
    }
    store(vars);
    return bootSlot(vars);
  }
}
