package org.edgesdk.api.ota;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A verified update repository as a device sees it.
 *
 * <p>{@link #refresh()} brings the trusted metadata up to date; it refuses, with an
 * {@link org.edgesdk.api.EdgeException} of code
 * {@link org.edgesdk.api.ErrorCode#VERIFICATION_FAILED VERIFICATION_FAILED}, a repository that
 * replays old metadata, serves expired or badly signed metadata, mixes metadata of different
 * releases, or serves too much data; a refused refresh leaves the trusted state as it was. The other
 * methods work on the metadata trusted by the last successful refresh.
 *
 * <p>Implementations are not thread-safe: one update runs at a time.
 */
public interface UpdateRepository {

  /**
   * Fetches and verifies the repository's current metadata and makes it the trusted state.
   *
   * @throws org.edgesdk.api.EdgeException {@code VERIFICATION_FAILED} naming the attack or fault
   *     detected, {@code IO_ERROR} or {@code TIMEOUT} when the repository cannot be reached
   */
  void refresh();

  /**
   * Returns every target the trusted metadata lists, including targets of delegated roles.
   *
   * @return the targets, sorted by name
   * @throws IllegalStateException if {@link #refresh()} has not succeeded yet
   */
  List<TargetDescription> targets();

  /**
   * Returns the target with the given name, as the trusted metadata and its delegations resolve it.
   *
   * @param name the target's path in the repository
   * @return the target, or empty if no trusted role lists it
   * @throws IllegalStateException if {@link #refresh()} has not succeeded yet
   */
  Optional<TargetDescription> target(String name);

  /**
   * Downloads one target to {@code destination} and verifies its length and hashes. A partial
   * download left by an earlier, interrupted call is resumed. The destination appears only once the
   * bytes are verified.
   *
   * @param target a target returned by {@link #targets()} or {@link #target(String)}
   * @param destination the file to write
   * @return {@code destination}
   * @throws org.edgesdk.api.EdgeException {@code VERIFICATION_FAILED} if the bytes do not match the
   *     metadata or the target is below the anti-rollback floor, {@code IO_ERROR} or
   *     {@code TIMEOUT} when the download fails
   */
  Path download(TargetDescription target, Path destination);
}
