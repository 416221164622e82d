package org.edgesdk.linux.cpufreq;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One planned sysfs write, and the kernel's order for a set of them. */
record Write(String attribute, String value) {
  static final String GOVERNOR = "scaling_governor";
  static final String MIN = "scaling_min_freq";
  static final String MAX = "scaling_max_freq";
  static final String EPP = "energy_performance_preference";
  static final String SETSPEED = "scaling_setspeed";

  /**
   * Orders writes as cpupower does and the kernel needs: limits first, raising the maximum before
   * the minimum unless the new maximum is below the current minimum (then the minimum goes first, so
   * min never exceeds max in between); then the governor; then EPP (its validity depends on the
   * governor); then setspeed (needs the userspace governor).
   */
  static List<Write> order(int currentMin, int currentMax, @Nullable Integer min, @Nullable Integer max,
      @Nullable String governor, @Nullable String epp, @Nullable Integer setspeed) {
    List<Write> out = new ArrayList<>();
    if (min != null && max != null) {
      if (max < currentMin) {
        out.add(new Write(MIN, min.toString()));
        out.add(new Write(MAX, max.toString()));
      } else {
        out.add(new Write(MAX, max.toString()));
        out.add(new Write(MIN, min.toString()));
      }
    } else if (max != null) {
      out.add(new Write(MAX, max.toString()));
    } else if (min != null) {
      out.add(new Write(MIN, min.toString()));
    }
    if (governor != null) {
      out.add(new Write(GOVERNOR, governor));
    }
    if (epp != null) {
      out.add(new Write(EPP, epp));
    }
    if (setspeed != null) {
      out.add(new Write(SETSPEED, setspeed.toString()));
    }
    return out;
  }
}
