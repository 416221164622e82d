package org.edgesdk.ota.ab;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the device runs and where an update stands.
 *
 * @param booted the booted slot, if known
 * @param primary the slot the bootloader tries next, if any
 * @param slots every slot's state and version
 * @param state the update's state
 * @param target the target being installed or last installed
 * @param progressBytes bytes written to the slot while {@link UpdateState#DOWNLOADING}
 */
public record UpdateStatus(
    Optional<String> booted,
    Optional<String> primary,
    Map<String, SlotStatus> slots,
    UpdateState state,
    Optional<String> target,
    OptionalLong progressBytes) {}
