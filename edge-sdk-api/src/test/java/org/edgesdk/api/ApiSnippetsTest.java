package org.edgesdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The code of the {@code {@snippet}} examples in edge-sdk-api's Javadoc; each region runs here so no
 * example can rot.
 */
class ApiSnippetsTest {

  @Test
  void availabilityAndErrors_asInTheOverview_reportReasonAndRemedy() {
    List<String> log = new ArrayList<>();
    Availability<Integer> boost = Availability.unavailable("the cpufreq-dt driver has no boost");
    // @start region="availability"
    if (boost instanceof Availability.Unavailable<Integer> u) {
      log.add("no boost: " + u.reason());      // a capability the device lacks, not an error
    } else {
      log.add("boost " + boost.orElseThrow());
    }
    try {
      throw new EdgeException(ErrorCode.PERMISSION_DENIED, "cannot write scaling_governor",
          "run as root or grant write access to /sys/devices/system/cpu/cpufreq");
    } catch (EdgeException e) {
      log.add(e.code() + ": " + e.problem() + "; fix: " + e.remedy());
    }
    // @end
    assertEquals(List.of("no boost: the cpufreq-dt driver has no boost",
        "PERMISSION_DENIED: cannot write scaling_governor; fix: run as root or grant write access to "
            + "/sys/devices/system/cpu/cpufreq"), log);
  }
}
