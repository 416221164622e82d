package org.edgesdk.linux.rt;

/**
 * The static priorities a policy accepts, from {@code sched_get_priority_min/max}: 1..99 for
 * SCHED_FIFO and SCHED_RR on Linux, 0..0 for the others.
 *
 * @param min the lowest priority
 * @param max the highest priority
 */
public record PriorityRange(int min, int max) {
  /**
   * Creates a range.
   *
   * @param min the lowest priority
   * @param max the highest priority, not below {@code min}
   */
  public PriorityRange {
    if (max < min) {
      throw new IllegalArgumentException("priority range " + min + ".." + max + " is reversed");
    }
  }

  /**
   * Returns whether a priority is in the range.
   *
   * @param priority the priority
   * @return {@code true} if {@code min <= priority <= max}
   */
  public boolean contains(int priority) {
    return priority >= min && priority <= max;
  }

  @Override
  public String toString() {
    return min + ".." + max;
  }
}
