package org.edgesdk.linux.rt.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

/** {@link SchedKernel} through the direct-mapped {@link LibC}. */
final class JnaSchedKernel implements SchedKernel {
  private static final int MAX_AFFINITY_WORDS = 1024; // 65536 CPUs, CpuSet.MAX_CPU + 1

  private static volatile JnaSchedKernel instance;

  private final SyscallTable table;

  private JnaSchedKernel(SyscallTable table) {
    this.table = table;
  }

  static JnaSchedKernel instance() {
    JnaSchedKernel k = instance;
    if (k == null) {
      String arch = System.getProperty("os.arch", "unknown");
      SyscallTable table = SyscallTable.forArchitecture(arch)
          .orElseThrow(() -> new ErrnoException("syscall table for os.arch " + arch, Errno.ENOSYS));
      k = new JnaSchedKernel(table);
      instance = k;
    }
    return k;
  }

  private static ErrnoException error(String call, LastErrorException e) {
    return new ErrnoException(call, e.getErrorCode());
  }

  @Override
  public int gettid() {
    try {
      return LibC.syscall(new NativeLong(table.gettid())).intValue();
    } catch (LastErrorException e) {
      throw error("syscall(SYS_gettid=" + table.gettid() + ")", e);
    }
  }

  @Override
  public void setScheduler(int tid, int policy, int priority) {
    try {
      LibC.sched_setscheduler(tid, policy, new int[] {priority});
    } catch (LastErrorException e) {
      throw error("sched_setscheduler(" + tid + ", " + policy + ", {" + priority + "})", e);
    }
  }

  @Override
  public void setNice(int tid, int nice) {
    try {
      LibC.setpriority(LibC.PRIO_PROCESS, tid, nice);
    } catch (LastErrorException e) {
      throw error("setpriority(PRIO_PROCESS, " + tid + ", " + nice + ")", e);
    }
  }

  @Override
  public void setAttr(int tid, SchedValues v) {
    SchedAttr attr = new SchedAttr();
    attr.sched_policy = v.policy();
    attr.sched_flags = v.flags();
    attr.sched_nice = v.nice();
    attr.sched_priority = v.priority();
    attr.sched_runtime = v.runtimeNanos();
    attr.sched_deadline = v.deadlineNanos();
    attr.sched_period = v.periodNanos();
    try {
      LibC.syscall(new NativeLong(table.schedSetattr()), tid, attr, 0);
    } catch (LastErrorException e) {
      throw error("sched_setattr(" + tid + ", {policy=" + v.policy() + ", priority=" + v.priority()
          + ", runtime=" + v.runtimeNanos() + ", deadline=" + v.deadlineNanos() + ", period="
          + v.periodNanos() + "}, 0)", e);
    }
  }

  @Override
  public SchedValues getAttr(int tid) {
    SchedAttr attr = new SchedAttr();
    try {
      LibC.syscall(new NativeLong(table.schedGetattr()), tid, attr, SchedAttr.SIZE_VER0, 0);
    } catch (LastErrorException e) {
      throw error("sched_getattr(" + tid + ")", e);
    }
    return new SchedValues(attr.sched_policy, attr.sched_flags, attr.sched_nice, attr.sched_priority,
        attr.sched_runtime, attr.sched_deadline, attr.sched_period);
  }

  @Override
  public int getScheduler(int tid) {
    try {
      return LibC.sched_getscheduler(tid);
    } catch (LastErrorException e) {
      throw error("sched_getscheduler(" + tid + ")", e);
    }
  }

  @Override
  public int priorityMin(int policy) {
    try {
      return LibC.sched_get_priority_min(policy);
    } catch (LastErrorException e) {
      throw error("sched_get_priority_min(" + policy + ")", e);
    }
  }

  @Override
  public int priorityMax(int policy) {
    try {
      return LibC.sched_get_priority_max(policy);
    } catch (LastErrorException e) {
      throw error("sched_get_priority_max(" + policy + ")", e);
    }
  }

  @Override
  public void setAffinity(int tid, long[] words) {
    long[] mask = words.length == 0 ? new long[1] : words;
    try {
      LibC.sched_setaffinity(tid, new NativeLong(mask.length * 8L), mask);
    } catch (LastErrorException e) {
      throw error("sched_setaffinity(" + tid + ", " + mask.length * 8 + " bytes)", e);
    }
  }

  @Override
  public long[] getAffinity(int tid) {
    // glibc answers EINVAL while the buffer is smaller than the kernel's cpumask (nr_cpu_ids bits):
    // start at 1024 CPUs (cpu_set_t) and double, so machines with more CPUs are read whole.
    for (int words = 16; ; words *= 2) {
      long[] mask = new long[words];
      try {
        LibC.sched_getaffinity(tid, new NativeLong(words * 8L), mask);
        return mask;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.EINVAL || words >= MAX_AFFINITY_WORDS) {
          throw error("sched_getaffinity(" + tid + ", " + words * 8 + " bytes)", e);
        }
      }
    }
  }

  @Override
  public void mlockall(int flags) {
    try {
      LibC.mlockall(flags);
    } catch (LastErrorException e) {
      throw error("mlockall(" + flags + ")", e);
    }
  }

  @Override
  public void munlockall() {
    try {
      LibC.munlockall();
    } catch (LastErrorException e) {
      throw error("munlockall()", e);
    }
  }

  @Override
  public void setTimerSlack(long nanos) {
    NativeLong zero = new NativeLong(0);
    try {
      LibC.prctl(LibC.PR_SET_TIMERSLACK, new NativeLong(nanos), zero, zero, zero);
    } catch (LastErrorException e) {
      throw error("prctl(PR_SET_TIMERSLACK, " + nanos + ")", e);
    }
  }

  @Override
  public long timerSlack() {
    NativeLong zero = new NativeLong(0);
    try {
      return LibC.prctl(LibC.PR_GET_TIMERSLACK, zero, zero, zero, zero);
    } catch (LastErrorException e) {
      throw error("prctl(PR_GET_TIMERSLACK)", e);
    }
  }

  @Override
  public long[] getrlimit(int resource) {
    Rlimit r = new Rlimit();
    try {
      LibC.getrlimit(resource, r);
    } catch (LastErrorException e) {
      throw error("getrlimit(" + resource + ")", e);
    }
    return new long[] {r.rlim_cur.longValue(), r.rlim_max.longValue()};
  }
}
