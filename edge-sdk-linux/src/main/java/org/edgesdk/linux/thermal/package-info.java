/**
 * Temperatures, trip points and cooling devices from the kernel's thermal sysfs interface
 * ({@code /sys/class/thermal}) and hwmon ({@code /sys/class/hwmon}).
 *
 * <p>{@link org.edgesdk.linux.thermal.Thermal#read()} returns a {@link
 * org.edgesdk.linux.thermal.ThermalInfo}. Zone numbers are not stable across boots or kernels, so
 * select a {@link org.edgesdk.linux.thermal.ThermalZone} by its type:
 *
 * <pre>{@code
 * ThermalInfo thermal = Thermal.of(HostRoot.system()).read();
 * thermal.zone("cpu-thermal").or(() -> thermal.zone("x86_pkg_temp"))
 *     .flatMap(z -> z.tempC().toOptional())
 *     .ifPresent(c -> System.out.println(c + " °C"));
 * }</pre>
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.linux.thermal;

import org.jspecify.annotations.NullMarked;
