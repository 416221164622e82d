package org.edgesdk.ota.boot;

import java.util.List;
import java.util.Optional;

/**
 * Reads and changes which slot the bootloader boots, through the bootloader's own variables.
 *
 * <p>The operations follow RAUC's conventions, so a device's existing RAUC boot script works
 * unchanged: {@link #markUnbootable} before a slot is written, {@link #activate} once its new content
 * is verified (first in the boot order with fresh attempts), {@link #markGood} to commit,
 * {@link #markBad} to roll back. Each operation is one write of the bootloader's store.
 *
 * <p>Get one from {@link BootControls#open(String, BootSettings)}.
 */
public interface BootControl {

  /**
   * Returns the backend's name: {@code uboot}, {@code grub}, {@code file} or a provider's own.
   *
   * @return the name
   */
  String backend();

  /**
   * Returns the slots this control manages.
   *
   * @return the slot names
   */
  List<String> slots();

  /**
   * Returns the boot order as the variables hold it, primary first.
   *
   * @return the slots in boot order; slots marked bad are absent
   */
  List<String> bootOrder();

  /**
   * Returns the slot the bootloader tries first, if any slot is bootable.
   *
   * @return the first slot in the boot order with attempts left
   */
  default Optional<String> primary() {
    return bootOrder().stream().filter(s -> state(s).bootable()).findFirst();
  }

  /**
   * Returns what the variables say about one slot.
   *
   * @param slot a slot from {@link #slots()}
   * @return the slot's state
   * @throws IllegalArgumentException if the slot is unknown
   */
  SlotBootState state(String slot);

  /**
   * Makes the bootloader skip a slot (before it is overwritten): removed from the boot order, no
   * attempts left.
   *
   * @param slot a slot from {@link #slots()}
   */
  void markUnbootable(String slot);

  /**
   * Makes a slot primary with fresh attempts (after its new content is verified).
   *
   * @param slot a slot from {@link #slots()}
   */
  void activate(String slot);

  /**
   * Marks a booted slot good: full attempts, kept in the boot order.
   *
   * @param slot a slot from {@link #slots()}
   */
  void markGood(String slot);

  /**
   * Marks a slot bad: removed from the boot order with no attempts, so the next boot falls back to
   * the next slot.
   *
   * @param slot a slot from {@link #slots()}
   */
  void markBad(String slot);

  /**
   * Applies the bootloader script's rules once, as RAUC's example U-Boot or GRUB script would at
   * power-on, writing the variables the script writes; for tests, demos and {@code edgectl ota
   * simulate-boot}.
   *
   * @return the slot the script boots, or empty if no slot has attempts left (the script then
   *     resets the attempts and reboots)
   */
  Optional<String> simulateBoot();
}
