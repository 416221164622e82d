package org.edgesdk.store.forward;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one destination's forwarding.
 *
 * @param name the destination (and cursor) name
 * @param state the connection state
 * @param backlog messages stored in the lanes this destination reads and not yet acknowledged by it,
 *     including the ones in flight; an upper bound when several destinations share the queue, since
 *     a message another destination still needs is stored after this one acknowledged it
 * @param inFlight messages read from the cursor and not yet acknowledged, nacked or dead-lettered
 * @param oldestAge the age (wall clock) of the oldest message in flight, zero when none is
 * @param sendRate messages acknowledged per second over the last ten seconds
 * @param consecutiveFailures sends that failed since the last delivered or rejected one
 * @param sent messages handed to the transport, retries included
 * @param acknowledged messages the destination confirmed and the queue acknowledged
 * @param retried messages sent again after a failed or unavailable send
 * @param deadLettered messages dead-lettered by this destination (rejected, or attempts used up)
 * @param lastError the reason of the last failure, if any since the last delivered batch
 * @param retryIn how long until the next send when backing off, zero otherwise
 * @param caughtUp true when the last read of the cursor found nothing new and nothing is in flight: every
 *     message stored for this destination so far has been acknowledged or dead-lettered
 */
public record DestinationStatus(
    String name,
    ConnectionState state,
    long backlog,
    int inFlight,
    Duration oldestAge,
    double sendRate,
    int consecutiveFailures,
    long sent,
    long acknowledged,
    long retried,
    long deadLettered,
    Optional<String> lastError,
    Duration retryIn,
    boolean caughtUp) {

  /** Validates the components. */
  public DestinationStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(oldestAge, "oldestAge");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(retryIn, "retryIn");
  }
}
