/**
 * The Edge SDK's example programs, one package each, and what they share. They are programs to run
 * and copy from, not API: the packages are not exported. Each is described in the README's "Example
 * programs" section:
 * {@code telemetry.TelemetryAgent} (durable queue and MQTT forwarding),
 * {@code update.UpdateService} (A/B updates with health checks),
 * {@code control.ControlLoop1kHz} (a 1 kHz loop on SCHED_FIFO) and
 * {@code governor.GovernorSwitcher} (cpufreq limits driven by thermal state).
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.examples;

import org.jspecify.annotations.NullMarked;
