/**
 * Boot control for A/B updates: {@link org.edgesdk.ota.boot.BootControl} switches, commits and
 * rolls back slots through the bootloader's own variables, following RAUC's conventions, with
 * pure-Java stores: {@link org.edgesdk.ota.boot.UBootEnvironment} (single or redundant, from
 * {@link org.edgesdk.ota.boot.FwEnvConfig fw_env.config}), {@link org.edgesdk.ota.boot.GrubEnvironment}
 * and a plain file. {@link org.edgesdk.ota.boot.BootControls} opens a backend by name.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException},
 * and no method returns null; values that can be absent are {@link java.util.Optional}.
 */
@NullMarked
package org.edgesdk.ota.boot;

import org.jspecify.annotations.NullMarked;
