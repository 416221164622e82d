package org.edgesdk.linux.rt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.WeakHashMap;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.rt.internal.Errno;
import org.edgesdk.linux.rt.internal.ErrnoException;
import org.edgesdk.linux.rt.internal.LibC;
import org.edgesdk.linux.rt.internal.SchedKernel;
import org.edgesdk.linux.rt.internal.SchedValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real-time control of Java threads: scheduling policy and priority, CPU affinity, memory locking and
 * timer slack, through JNA, with guardrails and errors that say why the kernel refused.
 *
 * <pre>{@code
 * RealTime rt = RealTime.system();
 * rt.lockMemory();                                        // mlockall(MCL_CURRENT | MCL_FUTURE)
 * ThreadFactory factory = rt.threadFactory("control", SchedPolicy.fifo(80), Optional.of(CpuSet.of(1)));
 * Thread control = factory.newThread(loop);
 * control.start();                                        // runs at SCHED_FIFO 80 on CPU 1
 * }</pre>
 *
 * <p>Policies are applied by kernel thread id: to the calling thread, to a thread started by one of
 * this instance's {@link #threadFactory thread factories} (which captures the id when the thread
 * starts), or to any id. Facts for diagnoses (capabilities, limits, cgroups, RT throttling) are read
 * below this instance's {@link HostRoot}.
 *
 * <p>Guardrails: a FIFO/RR priority outside the kernel's range is refused with the range; the highest
 * priority (99) is refused unless the caller {@linkplain #allowingMaxPriority() opts in}; and applying
 * a real-time policy warns ({@link Applied#warnings()} and the log) when the real-time threads can
 * occupy every CPU the JVM may use.
 *
 * <p>Instances are thread-safe.
 */
public final class RealTime {
  private static final Logger LOG = LoggerFactory.getLogger(RealTime.class);

  private final HostRoot root;
  private final SchedKernel kernel;
  private final Registry registry;
  private final boolean allowMaxPriority;

  private RealTime(HostRoot root, SchedKernel kernel, Registry registry, boolean allowMaxPriority) {
    this.root = root;
    this.kernel = kernel;
    this.registry = registry;
    this.allowMaxPriority = allowMaxPriority;
  }

  /**
   * Returns real-time control of this machine, reading facts below {@code /}.
   *
   * @return the instance
   * @throws EdgeException with {@link ErrorCode#UNSUPPORTED} if JNA cannot load or the architecture
   *     has no system call table (x86_64, aarch64, arm and riscv64 have)
   */
  public static RealTime system() {
    return of(HostRoot.system());
  }

  /**
   * Returns real-time control that reads the facts for its diagnoses below {@code root}; the
   * scheduling calls themselves always go to the running kernel.
   *
   * @param root the directory standing in for {@code /}
   * @return the instance
   * @throws EdgeException with {@link ErrorCode#UNSUPPORTED} if JNA cannot load or the architecture
   *     has no system call table
   */
  public static RealTime of(HostRoot root) {
    Objects.requireNonNull(root, "root");
    SchedKernel kernel;
    try {
      kernel = SchedKernel.jna();
    } catch (ErrnoException | LinkageError e) {
      throw new EdgeException(ErrorCode.UNSUPPORTED,
          "cannot reach the C library through JNA on " + System.getProperty("os.name") + "/"
              + System.getProperty("os.arch") + ": " + e.getMessage(),
          "run on Linux x86_64, aarch64, arm or riscv64 with jna-jpms on the module or class path", e);
    }
    return new RealTime(root, kernel, new Registry(), false);
  }

  /** For tests: a fake kernel behind the same API. */
  static RealTime of(HostRoot root, SchedKernel kernel) {
    return new RealTime(root, kernel, new Registry(), false);
  }

  /**
   * Returns a view of this instance that accepts the kernel's highest real-time priority (99). The
   * view shares the thread registry with this instance.
   *
   * @return an instance that allows priority 99
   */
  public RealTime allowingMaxPriority() {
    return new RealTime(root, kernel, registry, true);
  }

  /**
   * Returns the root this instance reads its facts below.
   *
   * @return the root
   */
  public HostRoot root() {
    return root;
  }

  /**
   * Returns the calling thread's kernel thread id ({@code gettid}).
   *
   * @return the id
   */
  public int currentThreadId() {
    int tid = kernel.gettid();
    registry.remember(Thread.currentThread(), tid);
    return tid;
  }

  /**
   * Returns the kernel thread id of a Java thread, known for the calling thread and for threads
   * started by this instance's thread factories once they run.
   *
   * @param thread the thread
   * @return the id, or empty if the thread was not started by the SDK or has not started yet
   */
  public OptionalInt nativeThreadId(Thread thread) {
    Objects.requireNonNull(thread, "thread");
    if (thread == Thread.currentThread()) {
      return OptionalInt.of(currentThreadId());
    }
    return registry.tid(thread);
  }

  /**
   * Waits until a thread started by one of this instance's factories has captured its kernel id.
   *
   * @param thread the thread, started
   * @param timeout how long to wait
   * @return the id, or empty if it was not captured in time
   * @throws InterruptedException if interrupted while waiting
   */
  public OptionalInt awaitNativeThreadId(Thread thread, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(thread, "thread");
    return registry.await(thread, timeout);
  }

  /**
   * Returns the priorities the kernel accepts for a policy ({@code sched_get_priority_min/max}).
   *
   * @param kind the policy
   * @return the range, 1..99 for FIFO and RR on Linux
   */
  public PriorityRange priorityRange(PolicyKind kind) {
    Objects.requireNonNull(kind, "kind");
    return new PriorityRange(kernel.priorityMin(kind.kernelValue()), kernel.priorityMax(kind.kernelValue()));
  }

  /**
   * Applies a policy to the calling thread.
   *
   * @param policy the policy
   * @return the policy read back and any warnings
   * @throws EdgeException with {@link ErrorCode#INVALID_ARGUMENT} for a priority outside the kernel's
   *     range or 99 without opting in, {@link ErrorCode#PERMISSION_DENIED} with the cause that applies
   *     here when the kernel refuses, {@link ErrorCode#BUSY} when SCHED_DEADLINE admission fails
   */
  public Applied apply(SchedPolicy policy) {
    return applyToThreadId(currentThreadId(), policy);
  }

  /**
   * Applies a policy to a Java thread: the calling thread or one started by this instance's factory.
   *
   * @param thread the thread
   * @param policy the policy
   * @return the policy read back and any warnings
   * @throws IllegalArgumentException if the thread's kernel id is not known
   * @throws EdgeException as {@link #apply(SchedPolicy)}
   */
  public Applied apply(Thread thread, SchedPolicy policy) {
    return applyToThreadId(requireTid(thread), policy);
  }

  /**
   * Applies a policy to a kernel thread id (of this or, with the privilege, another process).
   *
   * @param threadId the kernel thread id; 0 is the calling thread
   * @param policy the policy
   * @return the policy read back and any warnings
   * @throws EdgeException as {@link #apply(SchedPolicy)}
   */
  public Applied applyToThreadId(int threadId, SchedPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    int tid = threadId == 0 ? currentThreadId() : threadId;
    PriorityRange range = priorityRange(policy.kind());
    Guardrails.checkPriority(policy, range, allowMaxPriority);
    try {
      set(tid, policy);
    } catch (ErrnoException e) {
      throw Diagnosis.scheduling(e, policy, range, ProcessFacts.read(root), affinityIfKnown(tid));
    }
    SchedPolicy now = policyOfThreadId(tid);
    if (!now.equals(policy)) {
      throw new EdgeException(ErrorCode.NOT_APPLIED,
          "thread " + tid + " runs at " + Diagnosis.describe(now) + " after the kernel accepted "
              + Diagnosis.describe(policy),
          "check whether another agent (tuned, a systemd unit, a container runtime) resets scheduling");
    }
    registry.policy(tid, policy.kind());
    List<String> warnings = new ArrayList<>();
    if (policy.kind().isRealTime()) {
      ProcessFacts facts = ProcessFacts.read(root);
      Optional<CpuSet> allowed = facts.allowedCpus();
      if (allowed.isPresent()) {
        int count = 0;
        CpuSet pinned = CpuSet.empty();
        for (int rtTid : registry.realTimeThreads()) {
          count++;
          Optional<CpuSet> aff = affinityIfKnown(rtTid);
          if (aff.isPresent() && aff.get().size() == 1) {
            pinned = pinned.union(aff.get());
          }
        }
        Guardrails.starvation(count, pinned, allowed.get(), facts.rtRuntimeUs()).ifPresent(w -> {
          LOG.warn(w);
          warnings.add(w);
        });
      }
    }
    return new Applied(tid, now, warnings);
  }

  private void set(int tid, SchedPolicy policy) {
    if (policy instanceof SchedPolicy.Deadline d) {
      kernel.setAttr(tid, new SchedValues(PolicyKind.DEADLINE.kernelValue(), 0, 0, 0,
          d.runtime().toNanos(), d.deadline().toNanos(), d.period().toNanos()));
    } else if (policy instanceof SchedPolicy.Other o) {
      kernel.setScheduler(tid, PolicyKind.OTHER.kernelValue(), 0);
      kernel.setNice(tid, o.nice());
    } else if (policy instanceof SchedPolicy.Batch b) {
      kernel.setScheduler(tid, PolicyKind.BATCH.kernelValue(), 0);
      kernel.setNice(tid, b.nice());
    } else {
      kernel.setScheduler(tid, policy.kind().kernelValue(), policy.priority());
    }
  }

  /**
   * Reads the calling thread's policy back from the kernel ({@code sched_getattr}).
   *
   * @return the policy with its parameters
   */
  public SchedPolicy policy() {
    return policyOfThreadId(currentThreadId());
  }

  /**
   * Reads a Java thread's policy back from the kernel.
   *
   * @param thread the calling thread or one started by this instance's factory
   * @return the policy with its parameters
   * @throws IllegalArgumentException if the thread's kernel id is not known
   */
  public SchedPolicy policy(Thread thread) {
    return policyOfThreadId(requireTid(thread));
  }

  /**
   * Reads a kernel thread's policy ({@code sched_getattr}).
   *
   * @param threadId the kernel thread id
   * @return the policy with its parameters
   * @throws EdgeException with {@link ErrorCode#NOT_FOUND} if the thread does not exist
   */
  public SchedPolicy policyOfThreadId(int threadId) {
    SchedValues v;
    try {
      v = kernel.getAttr(threadId);
    } catch (ErrnoException e) {
      throw new EdgeException(e.errno() == Errno.ESRCH ? ErrorCode.NOT_FOUND : ErrorCode.IO_ERROR,
          e.call() + " failed with " + e.errnoName(), "pass the id of a running thread", e);
    }
    PolicyKind kind = PolicyKind.fromKernel(v.policy()).orElseThrow(() -> new EdgeException(
        ErrorCode.UNSUPPORTED, "thread " + threadId + " runs at scheduling policy " + v.policy()
            + ", which this SDK does not know", "upgrade the SDK"));
    switch (kind) {
      case OTHER:
        return SchedPolicy.other(v.nice());
      case BATCH:
        return SchedPolicy.batch(v.nice());
      case IDLE:
        return SchedPolicy.idle();
      case FIFO:
        return SchedPolicy.fifo(v.priority());
      case RR:
        return SchedPolicy.rr(v.priority());
      default:
        return SchedPolicy.deadline(Duration.ofNanos(v.runtimeNanos()), Duration.ofNanos(v.deadlineNanos()),
            Duration.ofNanos(v.periodNanos()));
    }
  }

  /**
   * Returns the CPUs this process may run on: its cgroup's effective cpuset ({@code
   * cpuset.cpus.effective} on cgroup v2, {@code cpuset.effective_cpus} on v1) within the online CPUs.
   *
   * @return the CPUs
   * @throws EdgeException with {@link ErrorCode#UNSUPPORTED} if neither file is readable below the root
   */
  public CpuSet allowedCpus() {
    return ProcessFacts.read(root).allowedCpus().orElseThrow(() -> new EdgeException(ErrorCode.UNSUPPORTED,
        "neither the cgroup's cpuset nor /sys/devices/system/cpu/online is readable below " + root.path(),
        "mount sysfs and the cgroup file system (a container needs /sys/fs/cgroup)"));
  }

  /**
   * Returns the calling thread's CPU affinity ({@code sched_getaffinity}), read with a mask as large
   * as the kernel's, so machines with more than 64 or 1024 CPUs are read whole.
   *
   * @return the CPUs the thread may run on
   */
  public CpuSet affinity() {
    return affinityOfThreadId(currentThreadId());
  }

  /**
   * Returns a kernel thread's CPU affinity.
   *
   * @param threadId the kernel thread id
   * @return the CPUs the thread may run on
   */
  public CpuSet affinityOfThreadId(int threadId) {
    try {
      return CpuSet.fromWords(kernel.getAffinity(threadId));
    } catch (ErrnoException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, e.call() + " failed with " + e.errnoName(),
          "pass the id of a running thread", e);
    }
  }

  /**
   * Pins the calling thread to CPUs, clamped to {@link #allowedCpus()}.
   *
   * @param cpus the requested CPUs
   * @return the CPUs the thread is pinned to now (the requested ones that the cgroup allows)
   * @throws EdgeException with {@link ErrorCode#INVALID_ARGUMENT} if none of the requested CPUs is allowed
   */
  public CpuSet setAffinity(CpuSet cpus) {
    return setAffinityOfThreadId(currentThreadId(), cpus);
  }

  /**
   * Pins a Java thread (the caller or one started by this instance's factory) to CPUs, clamped to
   * {@link #allowedCpus()}.
   *
   * @param thread the thread
   * @param cpus the requested CPUs
   * @return the CPUs the thread is pinned to now
   * @throws EdgeException with {@link ErrorCode#INVALID_ARGUMENT} if none of the requested CPUs is allowed
   */
  public CpuSet setAffinity(Thread thread, CpuSet cpus) {
    return setAffinityOfThreadId(requireTid(thread), cpus);
  }

  /**
   * Pins a kernel thread to CPUs, clamped to {@link #allowedCpus()}.
   *
   * @param threadId the kernel thread id
   * @param cpus the requested CPUs
   * @return the CPUs the thread is pinned to now
   * @throws EdgeException with {@link ErrorCode#INVALID_ARGUMENT} if none of the requested CPUs is allowed
   */
  public CpuSet setAffinityOfThreadId(int threadId, CpuSet cpus) {
    Objects.requireNonNull(cpus, "cpus");
    CpuSet allowed = allowedCpus();
    CpuSet clamped = cpus.intersect(allowed);
    if (clamped.isEmpty()) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT,
          "CPUs " + cpus + " are outside the CPUs this process may use (" + allowed
              + ": the cgroup's effective cpuset within the online CPUs)",
          "choose CPUs within " + allowed + ", or widen the cgroup's cpuset (docker --cpuset-cpus,"
              + " systemd AllowedCPUs=)");
    }
    if (!clamped.equals(cpus)) {
      LOG.warn("CPU affinity {} clamped to {}: the process may use only {}", cpus, clamped, allowed);
    }
    try {
      kernel.setAffinity(threadId, clamped.toWords());
    } catch (ErrnoException e) {
      throw new EdgeException(e.errno() == Errno.EPERM ? ErrorCode.PERMISSION_DENIED : ErrorCode.INVALID_ARGUMENT,
          e.call() + " for CPUs " + clamped + " failed with " + e.errnoName(),
          "choose CPUs within " + allowed + "; pinning another user's thread needs CAP_SYS_NICE", e);
    }
    return affinityOfThreadId(threadId);
  }

  private Optional<CpuSet> affinityIfKnown(int tid) {
    try {
      return Optional.of(CpuSet.fromWords(kernel.getAffinity(tid)));
    } catch (ErrnoException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Locks all current and future memory of the process ({@code mlockall(MCL_CURRENT | MCL_FUTURE)}),
   * so page faults cannot delay a real-time thread. Lock before starting real-time threads.
   *
   * @throws EdgeException with {@link ErrorCode#PERMISSION_DENIED} naming RLIMIT_MEMLOCK and
   *     CAP_IPC_LOCK when the kernel refuses
   */
  public void lockMemory() {
    try {
      kernel.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE);
    } catch (ErrnoException e) {
      throw Diagnosis.memoryLock(e, ProcessFacts.read(root));
    }
  }

  /** Unlocks the process's memory ({@code munlockall}). */
  public void unlockMemory() {
    try {
      kernel.munlockall();
    } catch (ErrnoException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, e.call() + " failed with " + e.errnoName(),
          "check the kernel log (dmesg)", e);
    }
  }

  /**
   * Sets the calling thread's timer slack ({@code prctl(PR_SET_TIMERSLACK)}). Non-real-time threads
   * wake up to 50 us late by default; 1 ns makes their timers as precise as real-time threads'.
   *
   * @param slack the slack, at least 1 ns
   * @throws IllegalArgumentException if {@code slack} is below 1 ns
   */
  public void setTimerSlack(Duration slack) {
    long nanos = slack.toNanos();
    if (nanos < 1) {
      throw new IllegalArgumentException("timer slack " + slack + " is below 1 ns");
    }
    try {
      kernel.setTimerSlack(nanos);
    } catch (ErrnoException e) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT, e.call() + " failed with " + e.errnoName(),
          "use a slack of at least 1 ns", e);
    }
  }

  /**
   * Returns the calling thread's timer slack ({@code prctl(PR_GET_TIMERSLACK)}).
   *
   * @return the slack
   */
  public Duration timerSlack() {
    return Duration.ofNanos(kernel.timerSlack());
  }

  /**
   * Returns the soft value of a resource limit of this process ({@code getrlimit}).
   *
   * @param limit the limit
   * @return the soft limit, or empty for {@code unlimited}
   */
  public OptionalLong softLimit(ResourceLimit limit) {
    long soft;
    try {
      soft = kernel.getrlimit(limit.resource())[0];
    } catch (ErrnoException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, e.call() + " failed with " + e.errnoName(),
          "check the kernel log (dmesg)", e);
    }
    return soft < 0 ? OptionalLong.empty() : OptionalLong.of(soft);
  }

  /**
   * Returns a factory of platform threads that apply a policy (and, when given, a CPU affinity) to
   * themselves as they start, capturing their kernel thread id first. If the kernel refuses, the
   * thread ends with the {@link EdgeException} (to its uncaught-exception handler) without running
   * its task.
   *
   * @param namePrefix thread names are {@code namePrefix-N}
   * @param policy the policy the threads run at
   * @param cpus the CPUs the threads are pinned to (clamped to {@link #allowedCpus()}), or empty
   *     to leave the affinity alone
   * @return the factory
   */
  public RtThreadFactory threadFactory(String namePrefix, SchedPolicy policy, Optional<CpuSet> cpus) {
    return new RtThreadFactory(this, namePrefix, policy, cpus);
  }

  /**
   * Returns a factory of threads that apply a policy to themselves as they start.
   *
   * @param namePrefix thread names are {@code namePrefix-N}
   * @param policy the policy the threads run at
   * @return the factory
   */
  public RtThreadFactory threadFactory(String namePrefix, SchedPolicy policy) {
    return threadFactory(namePrefix, policy, Optional.empty());
  }

  /**
   * Opens {@code /dev/cpu_dma_latency} below the root and requests a maximum CPU wake-up latency
   * (0 keeps CPUs out of deep C-states) for as long as the returned handle is open.
   *
   * @param microseconds the latency the CPUs must be able to wake within, 0 or more
   * @return the open request; close it to release
   * @throws EdgeException with {@link ErrorCode#UNSUPPORTED} if the device does not exist, or
   *     {@link ErrorCode#PERMISSION_DENIED} if it may not be opened (it is root-only by default)
   */
  public CpuDmaLatency holdCpuDmaLatency(int microseconds) {
    return CpuDmaLatency.open(root, microseconds);
  }

  void started(Thread thread, int tid) {
    registry.remember(thread, tid);
  }

  private int requireTid(Thread thread) {
    OptionalInt tid = nativeThreadId(thread);
    if (tid.isEmpty()) {
      throw new IllegalArgumentException("thread '" + thread.getName() + "' was not started by a thread"
          + " factory of this RealTime (or has not started yet); its kernel thread id is unknown");
    }
    return tid.getAsInt();
  }

  /** Java threads and their kernel ids, and which ids run at a real-time policy. */
  private static final class Registry {
    private final Map<Thread, Integer> tids = new WeakHashMap<>();
    private final Map<Thread, PolicyKind> policies = new WeakHashMap<>();

    synchronized void remember(Thread thread, int tid) {
      tids.put(thread, tid);
      notifyAll();
    }

    synchronized OptionalInt tid(Thread thread) {
      Integer tid = tids.get(thread);
      return tid == null ? OptionalInt.empty() : OptionalInt.of(tid);
    }

    synchronized OptionalInt await(Thread thread, Duration timeout) throws InterruptedException {
      long end = System.nanoTime() + timeout.toNanos();
      while (!tids.containsKey(thread)) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return OptionalInt.empty();
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return OptionalInt.of(tids.get(thread));
    }

    synchronized void policy(int tid, PolicyKind kind) {
      for (Map.Entry<Thread, Integer> e : tids.entrySet()) {
        if (e.getValue() == tid) {
          policies.put(e.getKey(), kind);
        }
      }
    }

    synchronized List<Integer> realTimeThreads() {
      List<Integer> out = new ArrayList<>();
      for (Map.Entry<Thread, PolicyKind> e : policies.entrySet()) {
        if (e.getKey().isAlive() && e.getValue().isRealTime()) {
          out.add(tids.get(e.getKey()));
        }
      }
      return out;
    }
  }
}
