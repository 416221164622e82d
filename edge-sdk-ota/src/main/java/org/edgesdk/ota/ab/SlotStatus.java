package org.edgesdk.ota.ab;

import java.util.Optional;

/**
 * One slot as {@link AbUpdater#status()} reports it.
 *
 * @param state {@code good}, {@code bad}, {@code trial} or {@code unknown}
 * @param version the release version installed in the slot, if known
 */
public record SlotStatus(String state, Optional<String> version) {}
