package org.edgesdk.linux.rt.internal;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code struct sched_attr} version 0 (48 bytes, include/uapi/linux/sched/types.h), the argument of
 * {@code sched_setattr} and {@code sched_getattr}.
 */
@FieldOrder({"size", "sched_policy", "sched_flags", "sched_nice", "sched_priority", "sched_runtime",
    "sched_deadline", "sched_period"})
public final class SchedAttr extends Structure {
  /** The size of version 0 of the structure, {@code SCHED_ATTR_SIZE_VER0}. */
  public static final int SIZE_VER0 = 48;

  /** Size of the structure, {@link #SIZE_VER0}. */
  public int size = SIZE_VER0;
  /** The policy, {@code SCHED_*}. */
  public int sched_policy;
  /** {@code SCHED_FLAG_*}. */
  public long sched_flags;
  /** Nice value of SCHED_OTHER and SCHED_BATCH. */
  public int sched_nice;
  /** Static priority of SCHED_FIFO and SCHED_RR. */
  public int sched_priority;
  /** SCHED_DEADLINE runtime in nanoseconds. */
  public long sched_runtime;
  /** SCHED_DEADLINE relative deadline in nanoseconds. */
  public long sched_deadline;
  /** SCHED_DEADLINE period in nanoseconds. */
  public long sched_period;

  /** Creates a zeroed structure of version 0. */
  public SchedAttr() {
    super(ALIGN_GNUC);
  }
}
