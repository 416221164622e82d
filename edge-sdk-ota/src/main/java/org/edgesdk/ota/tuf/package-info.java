/**
 * The device side of TUF-verified update repositories.
 *
 * <ul>
 *   <li>{@link org.edgesdk.ota.tuf.TufClient} follows the TUF client workflow and implements
 *       {@link org.edgesdk.api.ota.UpdateRepository}.
 *   <li>{@link org.edgesdk.ota.tuf.TargetStream} streams a target verified against its trusted
 *       length and hashes, resumable at a persisted {@link org.edgesdk.ota.tuf.TargetStream.Checkpoint}.
 *   <li>{@link org.edgesdk.ota.tuf.Transport} fetches and streams files over {@code http(s)://} or from
 *       {@code file://} media, bounded by {@link org.edgesdk.ota.tuf.Timeouts} and
 *       {@link org.edgesdk.ota.tuf.MetadataLimits}.
 *   <li>{@link org.edgesdk.ota.tuf.RepositoryRefusedException} reports a refused repository with
 *       the {@link org.edgesdk.ota.tuf.Refusal attack} detected.
 *   <li>{@link org.edgesdk.ota.tuf.KeyType} lists the supported key types.
 * </ul>
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException},
 * and no method returns null; values that can be absent are {@link java.util.Optional}.
 */
@NullMarked
package org.edgesdk.ota.tuf;

import org.jspecify.annotations.NullMarked;
