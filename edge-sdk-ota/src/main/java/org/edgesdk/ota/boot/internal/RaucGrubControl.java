package org.edgesdk.ota.boot.internal;

import java.util.Map;
import java.util.Optional;
import org.edgesdk.ota.boot.BootSettings;
import org.edgesdk.ota.boot.Environment;

/**
 * RAUC's GRUB convention: {@code ORDER="A B"}, {@code x_OK} and {@code x_TRY}; the script boots the
 * first slot with {@code OK=1} and {@code TRY=0} and sets its {@code TRY=1}. Good is {@code OK=1
 * TRY=0}; bad is {@code OK=0 TRY=0} (the slot stays in {@code ORDER}, as RAUC leaves it).
 */
public final class RaucGrubControl extends VariablesControl {

  /**
   * Creates the control.
   *
   * @param env the GRUB environment block
   * @param settings the slots
   */
  public RaucGrubControl(Environment env, BootSettings settings) {
    super(env, settings);
  }

  @Override
  public String backend() {
    return "grub";
  }

  @Override
  String orderVariable() {
    return "ORDER";
  }

  private static boolean flag(Map<String, String> vars, String name, boolean dflt) {
    String v = vars.get(name);
    return v == null ? dflt : v.trim().equals("1");
  }

  private void fillDefaults(Map<String, String> vars) {
    vars.putIfAbsent("ORDER", join(settings.slots()));
    for (String s : settings.slots()) {
      vars.putIfAbsent(s + "_OK", "1");
      vars.putIfAbsent(s + "_TRY", "0");
    }
  }

  @Override
  int left(Map<String, String> vars, String slot) {
    return flag(vars, slot + "_OK", true) && !flag(vars, slot + "_TRY", false) ? 1 : 0;
  }

  private void set(String slot, boolean ok, boolean first) {
    check(slot);
    Map<String, String> vars = load();
    fillDefaults(vars);
    if (first) {
      vars.put("ORDER", join(withFirst(order(vars), slot)));
    }
    vars.put(slot + "_OK", ok ? "1" : "0");
    vars.put(slot + "_TRY", "0");
    store(vars);
  }

  @Override
  public void markUnbootable(String slot) {
    set(slot, false, false);
  }

  @Override
  public void markBad(String slot) {
    set(slot, false, false);
  }

  @Override
  public void activate(String slot) {
    set(slot, true, true);
  }

  @Override
  public void markGood(String slot) {
    set(slot, true, false);
  }

  @Override
  public Optional<String> simulateBoot() {
    Map<String, String> vars = load();
    fillDefaults(vars);
    for (String slot : order(vars)) {
      if (left(vars, slot) > 0) {
        vars.put(slot + "_TRY", "1");
        store(vars);
        return Optional.of(slot);
      }
    }
    for (String slot : settings.slots()) {
      vars.put(slot + "_TRY", "0");
    }
    store(vars);
    return Optional.empty();
  }
}
