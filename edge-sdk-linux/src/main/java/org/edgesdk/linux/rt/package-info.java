/**
 * Real-time Java threads on Linux: scheduling policies through JNA, an RT-readiness report and a
 * cyclictest-style latency probe.
 *
 * <ul>
 *   <li>{@link org.edgesdk.linux.rt.RealTime} applies a {@link org.edgesdk.linux.rt.SchedPolicy}
 *       (OTHER, BATCH, IDLE, FIFO, RR, DEADLINE) to a thread and reads it back, pins threads to CPUs
 *       within the cgroup's cpuset, locks memory, lowers timer slack, and makes
 *       {@link org.edgesdk.linux.rt.RtThreadFactory thread factories} for real-time threads. When the
 *       kernel refuses, the {@link org.edgesdk.api.EdgeException} says which cause applies (capability
 *       and RLIMIT_RTPRIO, cgroup v2 with RT group scheduling, RT throttling) and how to fix it.
 *   <li>{@link org.edgesdk.linux.rt.PeriodicRunner} runs a task on absolute release times and reports
 *       overruns; {@link org.edgesdk.linux.rt.CpuDmaLatency} holds a {@code /dev/cpu_dma_latency}
 *       request while open.
 *   <li>{@link org.edgesdk.linux.rt.RtReadiness} reports how ready the machine is, each
 *       {@link org.edgesdk.linux.rt.Finding} with its evidence.
 *   <li>{@link org.edgesdk.linux.rt.LatencyProbe} measures wake-up latency the way cyclictest does.
 * </ul>
 *
 * <p>A periodic loop (run it on a thread from {@link org.edgesdk.linux.rt.RealTime#threadFactory} for SCHED_FIFO):
 *
 * {@snippet class=org.edgesdk.linux.LinuxSnippetsTest region=periodic}
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.linux.rt;

import org.jspecify.annotations.NullMarked;
