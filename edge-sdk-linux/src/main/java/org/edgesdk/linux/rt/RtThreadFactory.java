package org.edgesdk.linux.rt;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.edgesdk.api.CpuSet;

/**
 * A {@link ThreadFactory} of real-time platform threads, made by {@link RealTime#threadFactory}. Each
 * thread, as it starts, captures its kernel thread id (so {@link RealTime#nativeThreadId(Thread)}
 * and {@link RealTime#apply(Thread, SchedPolicy)} work on it), pins itself to the configured CPUs,
 * applies the policy and only then runs its task. If the kernel refuses, the task does not run and the
 * thread ends with the {@link org.edgesdk.api.EdgeException}, which its uncaught-exception handler
 * receives. Threads are not daemons.
 */
public final class RtThreadFactory implements ThreadFactory {
  private final RealTime realTime;
  private final String namePrefix;
  private final SchedPolicy policy;
  private final Optional<CpuSet> cpus;
  private final AtomicInteger count = new AtomicInteger();

  RtThreadFactory(RealTime realTime, String namePrefix, SchedPolicy policy, Optional<CpuSet> cpus) {
    this.realTime = Objects.requireNonNull(realTime, "realTime");
    this.namePrefix = Objects.requireNonNull(namePrefix, "namePrefix");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.cpus = Objects.requireNonNull(cpus, "cpus");
  }

  /**
   * Returns the policy the threads apply.
   *
   * @return the policy
   */
  public SchedPolicy policy() {
    return policy;
  }

  /**
   * Returns a new, unstarted thread that applies the policy when it starts.
   *
   * @param task the task to run at the policy
   * @return the thread
   */
  @Override
  public Thread newThread(Runnable task) {
    Objects.requireNonNull(task, "task");
    return new Thread(() -> {
      realTime.currentThreadId(); // captures the id for nativeThreadId/apply(Thread, ...)
      cpus.ifPresent(realTime::setAffinity);
      realTime.apply(policy);
      task.run();
    }, namePrefix + "-" + count.incrementAndGet());
  }
}
