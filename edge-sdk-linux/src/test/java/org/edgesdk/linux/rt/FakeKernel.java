package org.edgesdk.linux.rt;

import java.util.HashMap;
import java.util.Map;
import org.edgesdk.linux.rt.internal.ErrnoException;
import org.edgesdk.linux.rt.internal.SchedKernel;
import org.edgesdk.linux.rt.internal.SchedValues;

/**
 * A kernel that keeps scheduling attributes per thread id and answers a chosen errno where a real
 * kernel would refuse (EPERM without privilege, EBUSY on DEADLINE admission, EINVAL).
 */
final class FakeKernel implements SchedKernel {
  int tid = 4242;
  int refuseSetWith; // 0: accept
  int refuseMlockWith;
  long[] affinity = {0b11};
  final Map<Integer, SchedValues> attrs = new HashMap<>();
  int setCalls;

  @Override
  public int gettid() {
    return tid;
  }

  private SchedValues current(int t) {
    return attrs.getOrDefault(t, new SchedValues(0, 0, 0, 0, 0, 0, 0));
  }

  @Override
  public void setScheduler(int t, int policy, int priority) {
    setCalls++;
    if (refuseSetWith != 0) {
      throw new ErrnoException("sched_setscheduler(" + t + ", " + policy + ", {" + priority + "})", refuseSetWith);
    }
    SchedValues c = current(t);
    attrs.put(t, new SchedValues(policy, 0, c.nice(), priority, 0, 0, 0));
  }

  @Override
  public void setNice(int t, int nice) {
    SchedValues c = current(t);
    attrs.put(t, new SchedValues(c.policy(), 0, nice, c.priority(), 0, 0, 0));
  }

  @Override
  public void setAttr(int t, SchedValues values) {
    setCalls++;
    if (refuseSetWith != 0) {
      throw new ErrnoException("sched_setattr(" + t + ", ...)", refuseSetWith);
    }
    attrs.put(t, values);
  }

  @Override
  public SchedValues getAttr(int t) {
    return current(t);
  }

  @Override
  public int getScheduler(int t) {
    return current(t).policy();
  }

  @Override
  public int priorityMin(int policy) {
    return policy == 1 || policy == 2 ? 1 : 0;
  }

  @Override
  public int priorityMax(int policy) {
    return policy == 1 || policy == 2 ? 99 : 0;
  }

  @Override
  public void setAffinity(int t, long[] words) {
    affinity = words.clone();
  }

  @Override
  public long[] getAffinity(int t) {
    return affinity.clone();
  }

  @Override
  public void mlockall(int flags) {
    if (refuseMlockWith != 0) {
      throw new ErrnoException("mlockall(" + flags + ")", refuseMlockWith);
    }
  }

  @Override
  public void munlockall() {}

  @Override
  public void setTimerSlack(long nanos) {}

  @Override
  public long timerSlack() {
    return 50_000;
  }

  @Override
  public long[] getrlimit(int resource) {
    return new long[] {0, 0};
  }
}
