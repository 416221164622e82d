/**
 * The boot control service interface: {@link org.edgesdk.ota.boot.spi.BootControlProvider} lets a
 * device add a bootloader backend beside the built-in U-Boot, GRUB and file backends.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException},
 * and no method returns null.
 */
@NullMarked
package org.edgesdk.ota.boot.spi;

import org.jspecify.annotations.NullMarked;
