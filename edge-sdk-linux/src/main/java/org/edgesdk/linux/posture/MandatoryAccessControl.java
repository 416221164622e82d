package org.edgesdk.linux.posture;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.Availability;

/**
 * Mandatory access control and kernel lockdown.
 *
 * @param selinux SELinux state, from {@code /sys/fs/selinux/enforce}; unknown only when that file
 *     is unreadable or malformed
 * @param apparmor whether AppArmor is enabled ({@code /sys/module/apparmor/parameters/enabled} is {@code Y})
 * @param apparmorProfiles the number of loaded AppArmor profiles, from
 *     {@code /sys/kernel/security/apparmor/profiles} (needs securityfs and usually root)
 * @param lsms the active Linux security modules in order, from {@code /sys/kernel/security/lsm}
 * @param lockdown the active lockdown mode, from {@code /sys/kernel/security/lockdown}
 * @param processLabel this process's own security context ({@code /proc/self/attr/current}), for
 *     example {@code system_u:system_r:container_t:s0:c1,c2} or {@code snap.app.daemon (enforce)};
 *     empty when no LSM reports one
 */
public record MandatoryAccessControl(
    Availability<SelinuxMode> selinux,
    boolean apparmor,
    Availability<Integer> apparmorProfiles,
    Availability<List<String>> lsms,
    Availability<LockdownMode> lockdown,
    Optional<String> processLabel) {
  /**
   * Creates the description.
   *
   * @param selinux SELinux state
   * @param apparmor whether AppArmor is enabled
   * @param apparmorProfiles loaded AppArmor profiles
   * @param lsms active security modules
   * @param lockdown active lockdown mode
   * @param processLabel this process's security context
   */
  public MandatoryAccessControl {
    Objects.requireNonNull(selinux, "selinux");
    Objects.requireNonNull(apparmorProfiles, "apparmorProfiles");
    lsms = Objects.requireNonNull(lsms, "lsms").map(List::copyOf);
    Objects.requireNonNull(lockdown, "lockdown");
    Objects.requireNonNull(processLabel, "processLabel");
  }
}
