package org.edgesdk.linux.rt;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.edgesdk.linux.internal.KernelFiles;
import org.edgesdk.linux.kernel.Evidence;
import org.edgesdk.linux.kernel.KernelPreemption;
import org.edgesdk.linux.kernel.PreemptionModel;
import org.edgesdk.linux.rt.ProcessFacts.Limit;

/**
 * How ready this machine and process are for real-time Java threads, each conclusion with its
 * evidence: the kernel's preemption model (from every source, see {@link KernelPreemption}),
 * CAP_SYS_NICE and RLIMIT_RTPRIO, RLIMIT_MEMLOCK, RT group scheduling and cgroups,
 * {@code sched_rt_runtime_us}, isolated and {@code nohz_full} CPUs, cpufreq governors and the JVM's
 * garbage collector.
 *
 * <pre>{@code
 * RtReadiness report = RtReadiness.read(HostRoot.system());
 * report.findings().forEach(f -> System.out.println(f.severity() + " " + f.conclusion()));
 * }</pre>
 *
 * @param preemption the preemption model with its evidence
 * @param evidence every observation read, preemption sources first
 * @param findings the conclusions, in a fixed topic order
 */
public record RtReadiness(KernelPreemption preemption, List<Evidence> evidence, List<Finding> findings) {

  /**
   * Creates a report.
   *
   * @param preemption the preemption model
   * @param evidence the observations
   * @param findings the conclusions
   */
  public RtReadiness {
    Objects.requireNonNull(preemption, "preemption");
    evidence = List.copyOf(evidence);
    findings = List.copyOf(findings);
  }

  /**
   * Reads the report below {@code root} for this JVM (its garbage collectors).
   *
   * @param root the directory standing in for {@code /}; {@code /proc/self} below it is the process
   * @return the report
   * @throws org.edgesdk.api.EdgeException only if a file exists but cannot be read for a reason other
   *     than permissions
   */
  public static RtReadiness read(HostRoot root) {
    List<String> gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.toList());
    return read(root, gcs);
  }

  /**
   * Reads the report below {@code root}, for a JVM with the given garbage collector beans.
   *
   * @param root the directory standing in for {@code /}
   * @param garbageCollectors the names of the JVM's {@link GarbageCollectorMXBean}s, for example
   *     {@code G1 Young Generation}
   * @return the report
   */
  public static RtReadiness read(HostRoot root, List<String> garbageCollectors) {
    Objects.requireNonNull(root, "root");
    KernelPreemption preemption = KernelPreemption.read(root);
    ProcessFacts facts = ProcessFacts.read(root);
    Set<Evidence> all = new LinkedHashSet<>(preemption.evidence());
    all.addAll(facts.evidence());
    List<Finding> findings = new ArrayList<>();

    findings.add(preemptionFinding(preemption));
    findings.add(privilegeFinding(facts));
    findings.add(memlockFinding(facts));
    cgroupFinding(facts).ifPresent(findings::add);
    throttlingFinding(facts).ifPresent(findings::add);
    findings.add(isolationFinding(root));
    findings.add(cpufreqFinding(root));
    findings.add(gcFinding(garbageCollectors));
    facts.allowedCpus().ifPresent(cpus -> findings.add(cpusFinding(cpus, facts)));
    findings.add(dmaFinding(root));
    for (Finding f : findings) {
      all.addAll(f.evidence());
    }
    return new RtReadiness(preemption, new ArrayList<>(all), findings);
  }

  /**
   * Returns the most severe finding's severity.
   *
   * @return the worst severity, {@link Severity#OK} without findings
   */
  public Severity worst() {
    return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(Severity.OK);
  }

  private static Finding preemptionFinding(KernelPreemption p) {
    PreemptionModel m = p.model();
    String mode = p.dynamicMode().orElse("unknown");
    switch (m) {
      case PREEMPT_RT:
        return new Finding(Severity.OK, "preemption", "the kernel is PREEMPT_RT: wake-up latency is bounded",
            "", p.evidence());
      case PREEMPT_DYNAMIC:
        if (mode.equals("full") || mode.equals("lazy")) {
          return new Finding(Severity.INFO, "preemption", "the kernel is PREEMPT_DYNAMIC in mode " + mode
              + ": fully preemptible, but without PREEMPT_RT's bounded latency",
              "for hard deadlines run a PREEMPT_RT kernel (linux-image-rt-*; mainline since 6.12)", p.evidence());
        }
        return new Finding(Severity.WARNING, "preemption", "the kernel is PREEMPT_DYNAMIC in mode " + mode
            + ": kernel code is not preempted, so a real-time thread can wait for long kernel paths",
            "boot with preempt=full (or echo full > /sys/kernel/debug/sched/preempt), or run a PREEMPT_RT kernel",
            p.evidence());
      case PREEMPT:
        return new Finding(Severity.INFO, "preemption", "the kernel is PREEMPT (low-latency desktop)",
            "for hard deadlines run a PREEMPT_RT kernel", p.evidence());
      case VOLUNTARY:
      case NONE:
        return new Finding(Severity.WARNING, "preemption", "the kernel is " + m
            + ": kernel code is not preempted, so a real-time thread can wait for long kernel paths",
            "run a PREEMPT_RT kernel (or at least PREEMPT / preempt=full)", p.evidence());
      default:
        return new Finding(Severity.INFO, "preemption",
            "the preemption model is unknown: the sources found do not tell", "check uname -v and the kernel config",
            p.evidence());
    }
  }

  private static List<Evidence> evidence(ProcessFacts facts, String... prefixes) {
    List<Evidence> out = new ArrayList<>();
    for (Evidence e : facts.evidence()) {
      for (String prefix : prefixes) {
        if (e.source().startsWith(prefix)) {
          out.add(e);
          break;
        }
      }
    }
    return out;
  }

  private static Finding privilegeFinding(ProcessFacts facts) {
    List<Evidence> ev = evidence(facts, "CapEff", ProcessFacts.RTPRIO);
    Optional<Boolean> cap = facts.capSysNice();
    long rtprio = facts.limit(ProcessFacts.RTPRIO).map(Limit::soft).orElse(0L);
    if (cap.orElse(false)) {
      return new Finding(Severity.OK, "privilege", "the process has CAP_SYS_NICE: it may use any real-time"
          + " priority and SCHED_DEADLINE", "", ev);
    }
    if (rtprio > 0) {
      return new Finding(Severity.OK, "privilege", "the process lacks CAP_SYS_NICE but RLIMIT_RTPRIO allows"
          + " SCHED_FIFO/SCHED_RR up to priority " + Limit.text(rtprio) + " (not SCHED_DEADLINE)", "", ev);
    }
    return new Finding(cap.isPresent() ? Severity.PROBLEM : Severity.WARNING, "privilege",
        cap.isPresent() ? "the process lacks CAP_SYS_NICE and RLIMIT_RTPRIO is 0: every real-time policy"
            + " will be refused with EPERM" : "CAP_SYS_NICE is unknown (/proc/self/status unreadable)",
        "grant CAP_SYS_NICE (systemd AmbientCapabilities=CAP_SYS_NICE, docker --cap-add=SYS_NICE) or"
            + " raise RLIMIT_RTPRIO (systemd LimitRTPRIO=80, limits.conf rtprio)", ev);
  }

  private static Finding memlockFinding(ProcessFacts facts) {
    List<Evidence> ev = evidence(facts, "CapEff", ProcessFacts.MEMLOCK);
    boolean cap = facts.capIpcLock().orElse(false);
    Optional<Limit> limit = facts.limit(ProcessFacts.MEMLOCK);
    if (cap || limit.map(l -> l.soft() == Limit.UNLIMITED).orElse(false)) {
      return new Finding(Severity.OK, "memlock", "mlockall of the whole JVM is allowed ("
          + (cap ? "CAP_IPC_LOCK" : "RLIMIT_MEMLOCK unlimited") + ")", "", ev);
    }
    return new Finding(Severity.WARNING, "memlock", "mlockall will fail once the JVM maps more than"
        + " RLIMIT_MEMLOCK (" + limit.map(l -> Limit.text(l.soft()) + " bytes").orElse("unknown")
        + "), and without it page faults add latency",
        "set LimitMEMLOCK=infinity (systemd), 'ulimit -l unlimited' or docker --ulimit memlock=-1, or"
            + " grant CAP_IPC_LOCK", ev);
  }

  private static Optional<Finding> cgroupFinding(ProcessFacts facts) {
    List<Evidence> ev = evidence(facts, "/proc/self/cgroup", "CONFIG_RT_GROUP_SCHED", "rt_group_sched=",
        "/sys/fs/cgroup", "/proc/sys/kernel/sched_rt_runtime_us");
    SchedPolicy probe = SchedPolicy.fifo(1);
    List<Diagnosis.Cause> causes = Diagnosis.causes(probe, facts, Optional.empty());
    causes.remove(Diagnosis.Cause.NO_PRIVILEGE);
    if (!causes.isEmpty()) {
      return Optional.of(new Finding(Severity.PROBLEM, "cgroup",
          causes.stream().map(c -> Diagnosis.explain(c, probe, facts)).collect(Collectors.joining("; ")),
          causes.stream().map(c -> Diagnosis.remedy(c, probe)).collect(Collectors.joining("; ")), ev));
    }
    if (facts.rtGroupSched().isPresent()) {
      boolean on = facts.rtGroupSched().get();
      return Optional.of(new Finding(on ? Severity.INFO : Severity.OK, "cgroup", on
          ? "RT group scheduling is on, and the process's cgroup does not block real-time policies"
          : "RT group scheduling is off: cgroups do not limit real-time policies",
          on ? "keep real-time processes in the root cpu cgroup, or give their group cpu.rt_runtime_us" : "", ev));
    }
    return Optional.empty();
  }

  private static Optional<Finding> throttlingFinding(ProcessFacts facts) {
    List<Evidence> ev = evidence(facts, "/proc/sys/kernel/sched_rt_");
    if (facts.rtRuntimeUs().isEmpty()) {
      return Optional.empty();
    }
    long runtime = facts.rtRuntimeUs().getAsLong();
    long period = facts.rtPeriodUs().orElse(1_000_000);
    if (runtime < 0) {
      return Optional.of(new Finding(Severity.WARNING, "throttling", "RT throttling is off"
          + " (sched_rt_runtime_us = -1): a runaway SCHED_FIFO loop can hang its CPU and the JVM",
          "keep a CPU without real-time threads for the JVM and the system, or restore 950000", ev));
    }
    if (runtime == 0) {
      return Optional.empty(); // reported by the cgroup finding as a problem
    }
    return Optional.of(new Finding(Severity.INFO, "throttling", "RT throttling is on: real-time threads get"
        + " at most " + runtime + " us of every " + period + " us per CPU; a thread that needs a whole CPU"
        + " is paused for the rest", "leave it on unless a thread must run 100%; then set -1 and keep a CPU"
        + " free for the JVM", ev));
  }

  private static Finding isolationFinding(HostRoot root) {
    List<Evidence> ev = new ArrayList<>();
    Optional<String> isolated = KernelFiles.readTrimmed(root.resolve("/sys/devices/system/cpu/isolated"));
    Optional<String> nohz = KernelFiles.readTrimmed(root.resolve("/sys/devices/system/cpu/nohz_full"));
    isolated.ifPresent(v -> ev.add(new Evidence("/sys/devices/system/cpu/isolated", v.isEmpty() ? "(empty)" : v)));
    nohz.ifPresent(v -> ev.add(new Evidence("/sys/devices/system/cpu/nohz_full", v.isEmpty() ? "(empty)" : v)));
    String iso = isolated.orElse("");
    String full = nohz.filter(v -> !v.equals("(null)")).orElse("");
    if (!iso.isEmpty()) {
      return new Finding(Severity.OK, "isolation", "CPUs " + iso + " are isolated from the scheduler"
          + (full.isEmpty() ? "" : "; nohz_full CPUs " + full + " run without the tick when busy"),
          "pin real-time threads to " + iso + " and everything else away from them", ev);
    }
    return new Finding(Severity.INFO, "isolation", "no CPU is isolated"
        + (full.isEmpty() ? "" : " (nohz_full CPUs " + full + ")")
        + ": real-time threads share their CPUs with everything else",
        "isolate a CPU for the real-time thread (isolcpus=, or a cpuset partition), and pin it there", ev);
  }

  private static Finding cpufreqFinding(HostRoot root) {
    Path dir = root.resolve("/sys/devices/system/cpu/cpufreq");
    TreeMap<String, String> governors = new TreeMap<>();
    try (DirectoryStream<Path> policies = Files.newDirectoryStream(dir, "policy*")) {
      for (Path policy : policies) {
        KernelFiles.readTrimmed(policy.resolve("scaling_governor"))
            .ifPresent(g -> governors.put(policy.getFileName().toString(), g));
      }
    } catch (NoSuchFileException e) {
      // no cpufreq: reported below
    } catch (IOException e) {
      governors.clear();
    }
    List<Evidence> ev = new ArrayList<>();
    governors.forEach((policy, g) -> ev.add(new Evidence(
        "/sys/devices/system/cpu/cpufreq/" + policy + "/scaling_governor", g)));
    if (governors.isEmpty()) {
      return new Finding(Severity.INFO, "cpufreq", "no cpufreq policies: the CPU frequency is fixed or"
          + " managed outside Linux (common in virtual machines)", "", ev);
    }
    Set<String> slow = governors.values().stream().filter(g -> !g.equals("performance"))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    if (slow.isEmpty()) {
      return new Finding(Severity.OK, "cpufreq", "every cpufreq policy uses the performance governor", "", ev);
    }
    return new Finding(Severity.WARNING, "cpufreq", "cpufreq governor(s) " + String.join(", ", slow)
        + " lower the clock when idle, so a real-time thread wakes on a slow CPU",
        "set the performance governor on the real-time CPUs", ev);
  }

  private static Finding gcFinding(List<String> gcs) {
    List<Evidence> ev = List.of(new Evidence("JVM garbage collectors", gcs.isEmpty() ? "(none)" : String.join(", ", gcs)),
        new Evidence("java.vm.version", Runtime.version().toString()));
    String joined = String.join(" ", gcs);
    String safepoints = " A real-time thread that allocates nothing still stops at safepoints when it runs Java code.";
    if (joined.contains("ZGC") || joined.contains("Shenandoah")) {
      return new Finding(Severity.OK, "gc", "the JVM uses a concurrent collector ("
          + (joined.contains("ZGC") ? "ZGC" : "Shenandoah") + ") whose pauses stay below a millisecond", safepoints.strip(), ev);
    }
    if (joined.contains("G1")) {
      return new Finding(Severity.INFO, "gc", "the JVM uses G1: young-collection pauses of milliseconds stop"
          + " every Java thread, real-time ones included",
          "use ZGC (-XX:+UseZGC) or Shenandoah for sub-millisecond pauses, and keep the real-time loop"
              + " allocation-free." + safepoints, ev);
    }
    return new Finding(Severity.WARNING, "gc", "the JVM uses a stop-the-world collector ("
        + (gcs.isEmpty() ? "unknown" : String.join(", ", gcs)) + ") whose pauses grow with the heap",
        "use ZGC (-XX:+UseZGC) or Shenandoah, and keep the real-time loop allocation-free." + safepoints, ev);
  }

  private static Finding cpusFinding(CpuSet cpus, ProcessFacts facts) {
    List<Evidence> ev = evidence(facts, "/sys/devices/system/cpu/online", "/sys/fs/cgroup");
    if (cpus.size() < 2) {
      return new Finding(Severity.WARNING, "cpus", "the process may use only CPU " + cpus
          + ": a busy SCHED_FIFO thread leaves no CPU for the JVM's own threads",
          "give the process at least two CPUs and pin the real-time thread to one of them", ev);
    }
    return new Finding(Severity.OK, "cpus", "the process may use CPUs " + cpus + " (" + cpus.size()
        + "): pin real-time threads to a subset and leave one for the JVM", "", ev);
  }

  private static Finding dmaFinding(HostRoot root) {
    boolean exists = Files.exists(root.resolve("/dev/cpu_dma_latency"));
    List<Evidence> ev = List.of(new Evidence("/dev/cpu_dma_latency", exists ? "present" : "absent"));
    return exists
        ? new Finding(Severity.INFO, "dma-latency", "/dev/cpu_dma_latency can keep CPUs out of deep C-states",
            "hold a 0 us request while real-time work runs (RealTime.holdCpuDmaLatency(0), cyclictest does)", ev)
        : new Finding(Severity.INFO, "dma-latency", "/dev/cpu_dma_latency is absent: C-state exits may add latency",
            "pass the device into the container, or disable deep C-states in firmware", ev);
  }
}
