package org.edgesdk.ota.boot.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgesdk.ota.boot.BootControl;
import org.edgesdk.ota.boot.BootSettings;
import org.edgesdk.ota.boot.Environment;
import org.edgesdk.ota.boot.SlotBootState;

/** Shared plumbing of the variable-based backends: one read-modify-write of the store per operation. */
abstract class VariablesControl implements BootControl {
  final Environment env;
  final BootSettings settings;

  VariablesControl(Environment env, BootSettings settings) {
    this.env = env;
    this.settings = settings;
  }

  @Override
  public List<String> slots() {
    return settings.slots();
  }

  String check(String slot) {
    if (!settings.slots().contains(slot)) {
      throw new IllegalArgumentException("unknown slot '" + slot + "' (slots: " + settings.slots() + ")");
    }
    return slot;
  }

  /** The variable holding the boot order, first slot primary. */
  abstract String orderVariable();

  /** The attempts the bootloader still gives {@code slot}; 0 means it will not boot it. */
  abstract int left(Map<String, String> vars, String slot);

  /** The boot order: the known slots of {@link #orderVariable()}, or the configured order if unset. */
  List<String> order(Map<String, String> vars) {
    String v = vars.get(orderVariable());
    return v == null ? settings.slots() : known(words(v));
  }

  @Override
  public List<String> bootOrder() {
    return order(load());
  }

  @Override
  public SlotBootState state(String slot) {
    check(slot);
    Map<String, String> vars = load();
    List<String> order = order(vars);
    boolean primary = order.stream().filter(s -> left(vars, s) > 0).findFirst().map(slot::equals).orElse(false);
    return new SlotBootState(slot, order.contains(slot), left(vars, slot), primary);
  }

  /** Reads the variables; a missing store gives an empty map where the backend can create one. */
  Map<String, String> load() {
    return new LinkedHashMap<>(env.read());
  }

  void store(Map<String, String> vars) {
    env.write(vars);
  }

  static List<String> words(String value) {
    List<String> out = new ArrayList<>();
    for (String w : value.trim().split("\\s+")) {
      if (!w.isEmpty() && !out.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  static String join(List<String> order) {
    return String.join(" ", order);
  }

  List<String> known(List<String> order) {
    List<String> out = new ArrayList<>(order);
    out.retainAll(settings.slots());
    return out;
  }

  static List<String> withFirst(List<String> order, String slot) {
    List<String> out = new ArrayList<>(order);
    out.remove(slot);
    out.add(0, slot);
    return out;
  }

  static List<String> without(List<String> order, String slot) {
    List<String> out = new ArrayList<>(order);
    out.remove(slot);
    return out;
  }

  @Override
  public String toString() {
    return backend() + Arrays.asList(settings.file());
  }
}
