/**
 * Contracts of verified software updates, free of any crypto or JSON library.
 *
 * <ul>
 *   <li>{@link org.edgesdk.api.ota.UpdateRepository} is a verified update repository: refresh its
 *       trusted metadata, list the targets it offers, download one verified target.
 *   <li>{@link org.edgesdk.api.ota.TargetDescription} describes one target (an image), with its
 *       length, hashes and the update fields a device decides on: release version, hardware
 *       compatibility, slot class, {@link org.edgesdk.api.ota.Compression compression} and the
 *       security version that feeds the device's anti-rollback floor.
 * </ul>
 *
 * <p>The implementation ({@code org.edgesdk.ota}) verifies everything with The Update Framework
 * (TUF). Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException},
 * and no method returns null; values that can be absent are {@link java.util.Optional}.
 */
@NullMarked
package org.edgesdk.api.ota;

import org.jspecify.annotations.NullMarked;
