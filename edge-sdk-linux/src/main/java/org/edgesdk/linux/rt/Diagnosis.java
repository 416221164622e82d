package org.edgesdk.linux.rt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.linux.rt.ProcessFacts.Limit;
import org.edgesdk.linux.rt.internal.Errno;
import org.edgesdk.linux.rt.internal.ErrnoException;

/**
 * Turns an errno from a scheduling or memory-locking call into an {@link EdgeException} that says
 * which cause applies on this machine and how to fix it. Pure: every input is a parameter.
 */
final class Diagnosis {

  /** The causes of EPERM the SDK tells apart, in the order they are checked. */
  enum Cause {
    /** No CAP_SYS_NICE, and RLIMIT_RTPRIO (or RLIMIT_NICE) does not allow the request. */
    NO_PRIVILEGE,
    /** RT group scheduling with the process in a non-root cgroup v2 that has the cpu controller. */
    CGROUP_V2_RT_GROUP_SCHED,
    /** A cgroup v1 cpu group whose cpu.rt_runtime_us is 0. */
    CGROUP_RT_RUNTIME_ZERO,
    /** kernel.sched_rt_runtime_us is 0: no real-time time at all. */
    RT_RUNTIME_ZERO,
    /** SCHED_DEADLINE with an affinity narrower than the root domain. */
    DEADLINE_AFFINITY
  }

  private Diagnosis() {}

  /** Returns the causes that apply to a denied request, most likely first; empty if none is seen. */
  static List<Cause> causes(SchedPolicy policy, ProcessFacts facts, Optional<CpuSet> threadAffinity) {
    List<Cause> causes = new ArrayList<>();
    PolicyKind kind = policy.kind();
    boolean cap = facts.capSysNice().orElse(false);
    if (!cap) {
      if (kind.isRealTime()) {
        long rtprio = facts.limit(ProcessFacts.RTPRIO).map(Limit::soft).orElse(0L);
        if (rtprio < policy.priority()) {
          causes.add(Cause.NO_PRIVILEGE);
        }
      } else if (kind == PolicyKind.DEADLINE) {
        causes.add(Cause.NO_PRIVILEGE); // no resource limit grants SCHED_DEADLINE
      } else if (policy instanceof SchedPolicy.Other o && o.nice() < 0 || policy instanceof SchedPolicy.Batch b && b.nice() < 0) {
        int nice = policy instanceof SchedPolicy.Other o ? o.nice() : ((SchedPolicy.Batch) policy).nice();
        long rlimitNice = facts.limit(ProcessFacts.NICE).map(Limit::soft).orElse(0L);
        if (20 - Math.min(rlimitNice, 40) > nice) {
          causes.add(Cause.NO_PRIVILEGE);
        }
      }
    }
    if (kind.isRealTime()) {
      boolean groups = facts.rtGroupSched().orElse(false);
      boolean nonRootV2 = facts.cgroupV2Path().filter(p -> !p.equals("/")).isPresent();
      if (groups && !facts.cpuControllerOnV1() && nonRootV2 && facts.cpuControllerOnV2().orElse(true)) {
        causes.add(Cause.CGROUP_V2_RT_GROUP_SCHED);
      }
      if (facts.cgroupV1RtRuntimeUs().isPresent() && facts.cgroupV1RtRuntimeUs().getAsLong() == 0) {
        causes.add(Cause.CGROUP_RT_RUNTIME_ZERO);
      }
      if (facts.rtRuntimeUs().isPresent() && facts.rtRuntimeUs().getAsLong() == 0) {
        causes.add(Cause.RT_RUNTIME_ZERO);
      }
    }
    if (kind == PolicyKind.DEADLINE && threadAffinity.isPresent()) {
      Optional<CpuSet> allowed = facts.allowedCpus();
      if (allowed.isPresent() && !threadAffinity.get().containsAll(allowed.get())) {
        causes.add(Cause.DEADLINE_AFFINITY);
      }
    }
    return causes;
  }

  static String explain(Cause cause, SchedPolicy policy, ProcessFacts facts) {
    switch (cause) {
      case NO_PRIVILEGE:
        if (policy.kind() == PolicyKind.DEADLINE) {
          return "the process lacks CAP_SYS_NICE, which SCHED_DEADLINE always needs";
        }
        if (policy.kind().isRealTime()) {
          return "the process lacks CAP_SYS_NICE and RLIMIT_RTPRIO is "
              + facts.limit(ProcessFacts.RTPRIO).map(l -> Limit.text(l.soft())).orElse("0")
              + ", below priority " + policy.priority();
        }
        return "the process lacks CAP_SYS_NICE and RLIMIT_NICE ("
            + facts.limit(ProcessFacts.NICE).map(l -> Limit.text(l.soft())).orElse("0")
            + ") does not allow a negative nice value";
      case CGROUP_V2_RT_GROUP_SCHED:
        return "the kernel has CONFIG_RT_GROUP_SCHED and the process is in the cgroup v2 group "
            + facts.cgroupV2Path().orElse("?")
            + ", which has no real-time runtime (cgroup v2 cannot grant one), so every real-time request"
            + " is refused even with CAP_SYS_NICE";
      case CGROUP_RT_RUNTIME_ZERO:
        return "the process's cgroup v1 cpu group " + facts.cpuV1Path().orElse("?")
            + " has cpu.rt_runtime_us 0";
      case RT_RUNTIME_ZERO:
        return "kernel.sched_rt_runtime_us is 0, so no real-time thread may run";
      case DEADLINE_AFFINITY:
        return "SCHED_DEADLINE needs the thread's affinity to cover every CPU of its root domain ("
            + facts.allowedCpus().map(CpuSet::toString).orElse("?") + ")";
      default:
        throw new IllegalStateException("cause " + cause);
    }
  }

  static String remedy(Cause cause, SchedPolicy policy) {
    switch (cause) {
      case NO_PRIVILEGE:
        return policy.kind().isRealTime()
            ? "grant CAP_SYS_NICE (systemd AmbientCapabilities=CAP_SYS_NICE, docker/podman"
                + " --cap-add=SYS_NICE, setcap cap_sys_nice+ep on the java binary) or raise the limit"
                + " (systemd LimitRTPRIO=" + policy.priority() + ", '@group - rtprio "
                + policy.priority() + "' in /etc/security/limits.conf, docker --ulimit rtprio="
                + policy.priority() + ")"
            : "grant CAP_SYS_NICE (systemd AmbientCapabilities=CAP_SYS_NICE, docker/podman"
                + " --cap-add=SYS_NICE)" + (policy.kind() == PolicyKind.DEADLINE
                    ? "" : " or raise RLIMIT_NICE (systemd LimitNICE=, limits.conf nice)");
      case CGROUP_V2_RT_GROUP_SCHED:
        return "boot with rt_group_sched=0 (kernels 6.16 and later) or a kernel without"
            + " CONFIG_RT_GROUP_SCHED, or run the process in the root cgroup (systemd: a service with"
            + " Delegate= and no CPU controller, or 'echo PID > /sys/fs/cgroup/cgroup.procs')";
      case CGROUP_RT_RUNTIME_ZERO:
        return "give the group real-time time: write a runtime to its cpu.rt_runtime_us (and its"
            + " parents'; 'cgset -r cpu.rt_runtime_us=100000 GROUP', docker --cpu-rt-runtime=100000 with"
            + " dockerd --cpu-rt-runtime=950000) or move the process to the root cpu group";
      case RT_RUNTIME_ZERO:
        return "set sysctl kernel.sched_rt_runtime_us=950000 (the default) or -1 to disable throttling";
      case DEADLINE_AFFINITY:
        return "start the SCHED_DEADLINE thread with its full affinity, or give it an exclusive cpuset"
            + " (a cpuset.cpus.partition=root cgroup) to pin it";
      default:
        throw new IllegalStateException("cause " + cause);
    }
  }

  /** Maps a failed scheduling call to an exception with the diagnosis. */
  static EdgeException scheduling(ErrnoException e, SchedPolicy policy, PriorityRange range,
      ProcessFacts facts, Optional<CpuSet> threadAffinity) {
    String what = e.call() + " for " + describe(policy) + " failed with " + e.errnoName();
    switch (e.errno()) {
      case Errno.EPERM:
      case Errno.EACCES: {
        List<Cause> causes = causes(policy, facts, threadAffinity);
        if (causes.isEmpty()) {
          return new EdgeException(ErrorCode.PERMISSION_DENIED,
              what + ": none of the usual causes shows here (CAP_SYS_NICE "
                  + facts.capSysNice().map(b -> b ? "present" : "missing").orElse("unknown")
                  + ", RLIMIT_RTPRIO "
                  + facts.limit(ProcessFacts.RTPRIO).map(l -> Limit.text(l.soft())).orElse("unknown")
                  + ", cgroup " + facts.cgroupV2Path().orElse("unknown") + ")",
              "check a seccomp or LSM policy of the container or service (docker --security-opt,"
                  + " systemd RestrictRealtime=)", e);
        }
        String problem = what + ": " + causes.stream().map(c -> explain(c, policy, facts))
            .collect(Collectors.joining("; and "));
        String remedy = causes.stream().map(c -> remedy(c, policy)).collect(Collectors.joining("; also "));
        return new EdgeException(ErrorCode.PERMISSION_DENIED, problem, remedy, e);
      }
      case Errno.EINVAL:
        if (policy.kind() == PolicyKind.DEADLINE) {
          return new EdgeException(ErrorCode.INVALID_ARGUMENT,
              what + ": the kernel refuses these SCHED_DEADLINE parameters",
              "use 1024 ns <= runtime <= deadline <= period with the period within"
                  + " kernel.sched_deadline_period_min_us..max_us (100 us..4 s by default)", e);
        }
        return new EdgeException(ErrorCode.INVALID_ARGUMENT,
            what + ": the valid " + policy.kind().kernelName() + " priorities are " + range,
            "choose a priority within " + range + (policy.kind().isRealTime()
                ? " (and below 99, which starves the kernel's own threads)" : ""), e);
      case Errno.EBUSY:
        return new EdgeException(ErrorCode.BUSY,
            what + ": SCHED_DEADLINE admission control refused the bandwidth (runtime/period above"
                + " what kernel.sched_rt_runtime_us/sched_rt_period_us leaves free: "
                + facts.rtRuntimeUs().orElse(-1) + "/" + facts.rtPeriodUs().orElse(-1) + " per CPU)",
            "lower runtime/period, end other SCHED_DEADLINE threads, or raise kernel.sched_rt_runtime_us", e);
      case Errno.ESRCH:
        return new EdgeException(ErrorCode.NOT_FOUND, what + ": the thread has exited",
            "apply the policy while the thread runs (from the thread itself, or through RtThreadFactory)", e);
      default:
        return new EdgeException(ErrorCode.IO_ERROR, what,
            "check the kernel log (dmesg); the kernel refused the call for a reason the SDK does not know", e);
    }
  }

  /** Maps a failed mlockall to an exception with the diagnosis. */
  static EdgeException memoryLock(ErrnoException e, ProcessFacts facts) {
    boolean cap = facts.capIpcLock().orElse(false);
    String limit = facts.limit(ProcessFacts.MEMLOCK).map(l -> Limit.text(l.soft())).orElse("unknown");
    String remedy = "raise RLIMIT_MEMLOCK (systemd LimitMEMLOCK=infinity, 'ulimit -l unlimited',"
        + " docker --ulimit memlock=-1, limits.conf memlock) or grant CAP_IPC_LOCK (systemd"
        + " AmbientCapabilities=CAP_IPC_LOCK, docker --cap-add=IPC_LOCK)";
    if (e.errno() == Errno.EPERM || e.errno() == Errno.ENOMEM) {
      return new EdgeException(ErrorCode.PERMISSION_DENIED,
          e.call() + " failed with " + e.errnoName() + ": the process "
              + (cap ? "has CAP_IPC_LOCK but the memory could not be locked"
                  : "lacks CAP_IPC_LOCK and RLIMIT_MEMLOCK is " + limit + " bytes, less than the JVM maps"),
          cap ? "check free memory and vm.max_map_count" : remedy, e);
    }
    return new EdgeException(ErrorCode.IO_ERROR, e.call() + " failed with " + e.errnoName(),
        "check the kernel log (dmesg)", e);
  }

  static String describe(SchedPolicy policy) {
    if (policy instanceof SchedPolicy.Other o) {
      return "SCHED_OTHER nice " + o.nice();
    }
    if (policy instanceof SchedPolicy.Batch b) {
      return "SCHED_BATCH nice " + b.nice();
    }
    if (policy instanceof SchedPolicy.Deadline d) {
      return "SCHED_DEADLINE runtime " + d.runtime().toNanos() + " ns, deadline " + d.deadline().toNanos()
          + " ns, period " + d.period().toNanos() + " ns";
    }
    if (policy.kind().isRealTime()) {
      return policy.kind().kernelName() + " priority " + policy.priority();
    }
    return policy.kind().kernelName();
  }
}
