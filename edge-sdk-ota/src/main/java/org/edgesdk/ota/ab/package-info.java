/**
 * A/B updates: {@link org.edgesdk.ota.ab.AbUpdater} installs a TUF-verified target into the inactive
 * slot and commits or rolls it back by the application's {@link org.edgesdk.ota.ab.HealthCheck}s,
 * as a persistent state machine ({@link org.edgesdk.ota.ab.UpdateState}); one
 * {@link org.edgesdk.ota.ab.DeviceConfig} file describes the device; the booted slot comes from
 * {@link org.edgesdk.ota.ab.BootedSlot the kernel command line}. Policy hooks on the builder: a
 * {@link org.edgesdk.ota.ab.MaintenanceWindow}, the application's {@link org.edgesdk.ota.ab.Consent},
 * and a bandwidth limit paced through a {@link org.edgesdk.ota.ab.Sleeper}.
 *
 * <p>What an application does at every start: finish an update in trial, then look for the next one:
 *
 * {@snippet class=org.edgesdk.ota.ab.AbSnippetsTest region=ab-updater}
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException},
 * and no method returns null; values that can be absent are {@link java.util.Optional}.
 */
@NullMarked
package org.edgesdk.ota.ab;

import org.jspecify.annotations.NullMarked;
