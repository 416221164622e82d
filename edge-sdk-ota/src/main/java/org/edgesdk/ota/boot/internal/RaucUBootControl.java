package org.edgesdk.ota.boot.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.ota.boot.BootSettings;
import org.edgesdk.ota.boot.Environment;

/**
 * RAUC's U-Boot convention: {@code BOOT_ORDER="A B"} (first is primary) and {@code BOOT_x_LEFT}
 * remaining attempts in hexadecimal, as U-Boot's {@code setexpr} writes them. Missing variables take
 * the defaults RAUC's example boot script sets: the slots in configured order, full attempts.
 */
public final class RaucUBootControl extends VariablesControl {
  private final String backend;

  /**
   * Creates the control.
   *
   * @param backend the backend name reported
   * @param env the variable store
   * @param settings the slots and attempts
   */
  public RaucUBootControl(String backend, Environment env, BootSettings settings) {
    super(env, settings);
    this.backend = backend;
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  String orderVariable() {
    return "BOOT_ORDER";
  }

  @Override
  int left(Map<String, String> vars, String slot) {
    String v = vars.get("BOOT_" + slot + "_LEFT");
    if (v == null || v.isBlank()) {
      return settings.attempts();
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    try {
      return Math.max(0, Integer.parseInt(t, 16));
    } catch (NumberFormatException e) {
      return 0; // U-Boot's setexpr/test treat garbage as no attempts; so do we
    }
  }

  private static void setLeft(Map<String, String> vars, String slot, int left) {
    vars.put("BOOT_" + slot + "_LEFT", Integer.toHexString(left));
  }

  private void fillDefaults(Map<String, String> vars) {
    vars.putIfAbsent("BOOT_ORDER", join(settings.slots()));
    for (String s : settings.slots()) {
      vars.putIfAbsent("BOOT_" + s + "_LEFT", Integer.toHexString(settings.attempts()));
    }
  }

  @Override
  public void markUnbootable(String slot) {
    markBad(slot);
  }

  @Override
  public void markBad(String slot) {
    check(slot);
    Map<String, String> vars = load();
    fillDefaults(vars);
    vars.put("BOOT_ORDER", join(without(order(vars), slot)));
    setLeft(vars, slot, 0);
    store(vars);
  }

  @Override
  public void activate(String slot) {
    check(slot);
    Map<String, String> vars = load();
    fillDefaults(vars);
    vars.put("BOOT_ORDER", join(withFirst(order(vars), slot)));
    setLeft(vars, slot, settings.attempts());
    store(vars);
  }

  @Override
  public void markGood(String slot) {
    check(slot);
    Map<String, String> vars = load();
    fillDefaults(vars);
    List<String> order = order(vars);
    if (!order.contains(slot)) {
      order.add(slot);
      vars.put("BOOT_ORDER", join(order));
    }
    setLeft(vars, slot, settings.attempts());
    store(vars);
  }

  @Override
  public Optional<String> simulateBoot() {
    Map<String, String> vars = load();
    fillDefaults(vars);
    for (String slot : order(vars)) {
      int left = left(vars, slot);
      if (left > 0) {
        setLeft(vars, slot, left - 1);
        store(vars);
        return Optional.of(slot);
      }
    }
    for (String slot : settings.slots()) {
      setLeft(vars, slot, settings.attempts());
    }
    store(vars);
    return Optional.empty();
  }
}
