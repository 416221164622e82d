package org.edgesdk.examples.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgesdk.linux.rt.PeriodicStats;
import org.edgesdk.linux.rt.RealTime;
import org.junit.jupiter.api.Test;

class ControlLoop1kHzTest {
  private static final Pattern REPORT = Pattern.compile("300 cycles at 1 kHz \\(250 measured\\): wake-up latency "
      + "above the best p50 (\\d+) us, p99 (\\d+) us, p99\\.9 (\\d+) us, max (\\d+) us; worst wake-up \\d+ us; "
      + "overruns \\d+, missed releases \\d+");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void run_fifo_runsAtFifoOrSaysWhyNotAndReportsPercentiles() throws Exception {
    PeriodicStats stats = new ControlLoop1kHz(new String[] {"--cycles", "300", "--warmup", "50"}, Map.of(), out,
        RealTime.system()).run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(300, stats.cycles());
    // Whichever the machine allows: both paths must be explicit.
    assertTrue(text.contains("running at SCHED_FIFO priority 80")
        || (text.contains("SCHED_FIFO not permitted: ") && text.contains("  fix: ")
            && text.contains("falling back to SCHED_OTHER")), text);
    Matcher m = REPORT.matcher(text);
    assertTrue(m.find(), text);
    long p50 = Long.parseLong(m.group(1));
    long p99 = Long.parseLong(m.group(2));
    long p999 = Long.parseLong(m.group(3));
    long max = Long.parseLong(m.group(4));
    assertTrue(p50 <= p99 && p99 <= p999 && p999 <= max, text);
    assertTrue(text.contains("plant output 1.000 for setpoint 1.000"), text + " (the PI loop settles in 0.3 s)");
  }

  @Test
  void run_other_runsWithoutRealTime() throws Exception {
    new ControlLoop1kHz(new String[] {"--policy", "other", "--cycles", "300", "--warmup", "50"}, Map.of(), out,
        RealTime.system()).run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("running at SCHED_OTHER (as asked)"), text);
    assertTrue(REPORT.matcher(text).find(), text);
  }

  @Test
  void run_unknownPolicy_isRejected() {
    ControlLoop1kHz loop = new ControlLoop1kHz(new String[] {"--policy", "deadline"}, Map.of(), out,
        RealTime.system());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loop::run);
    assertTrue(e.getMessage().contains("'deadline'"), e.getMessage());
  }
}
