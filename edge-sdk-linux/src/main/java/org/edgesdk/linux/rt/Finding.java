package org.edgesdk.linux.rt;

import java.util.List;
import java.util.Objects;
import org.edgesdk.linux.kernel.Evidence;

/**
 * One conclusion of the {@link RtReadiness} report, with the observations it rests on.
 *
 * @param severity how much it matters
 * @param topic what it is about, a short stable key ({@code preemption}, {@code privilege},
 *     {@code memlock}, {@code cgroup}, {@code throttling}, {@code isolation}, {@code cpufreq},
 *     {@code gc}, {@code cpus}, {@code dma-latency})
 * @param conclusion what the report concludes, in a sentence
 * @param recommendation what to do about it, or an empty string when nothing needs doing
 * @param evidence the observations the conclusion rests on
 */
public record Finding(
    Severity severity, String topic, String conclusion, String recommendation, List<Evidence> evidence) {
  /**
   * Creates a finding.
   *
   * @param severity how much it matters
   * @param topic the topic key
   * @param conclusion the conclusion
   * @param recommendation the recommendation, possibly empty
   * @param evidence the observations
   */
  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(conclusion, "conclusion");
    Objects.requireNonNull(recommendation, "recommendation");
    evidence = List.copyOf(evidence);
  }
}
