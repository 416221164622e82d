package org.edgesdk.linux.rt;

/** How much a {@link Finding} matters for real-time work, from fine to blocking. */
public enum Severity {
  /** The fact supports real-time work. */
  OK,
  /** Worth knowing; latency may be better with the recommendation. */
  INFO,
  /** Latency or reliability will suffer unless the recommendation is followed. */
  WARNING,
  /** Real-time scheduling will fail (or not happen) until fixed. */
  PROBLEM
}
