package org.edgesdk.linux.rt.internal;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct rlimit}: soft and hard limit as {@code rlim_t} (an unsigned long). */
@FieldOrder({"rlim_cur", "rlim_max"})
public final class Rlimit extends Structure {
  /** The soft limit; all bits set is {@code RLIM_INFINITY}. */
  public NativeLong rlim_cur = new NativeLong();
  /** The hard limit; all bits set is {@code RLIM_INFINITY}. */
  public NativeLong rlim_max = new NativeLong();

  /** Creates a zeroed structure. */
  public Rlimit() {}
}
