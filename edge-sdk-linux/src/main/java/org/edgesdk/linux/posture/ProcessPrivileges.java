package org.edgesdk.linux.posture;

/**
 * This process's user and capabilities, from {@code /proc/self/status}.
 *
 * @param uid the effective user id ({@code Uid:} second field)
 * @param effectiveCapabilities the {@code CapEff:} mask
 * @param allCapabilities whether {@code CapEff} holds every capability the kernel knows
 *     ({@code /proc/sys/kernel/cap_last_cap}), as in a privileged container
 */
public record ProcessPrivileges(long uid, long effectiveCapabilities, boolean allCapabilities) {}
