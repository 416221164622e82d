package org.edgesdk.ota.boot;

/**
 * What the bootloader's variables say about one slot.
 *
 * @param slot the slot name, for example {@code A}
 * @param inOrder whether the slot is in the boot order
 * @param attemptsLeft boot attempts the bootloader will still make (U-Boot {@code BOOT_x_LEFT};
 *     GRUB: 1 when {@code x_OK=1} and {@code x_TRY=0}, else 0; Mender: {@code bootlimit - bootcount}
 *     for the partition on trial, 1 for its fallback and for a committed partition, else 0)
 * @param primary whether the bootloader tries this slot first
 */
public record SlotBootState(String slot, boolean inOrder, int attemptsLeft, boolean primary) {

  /**
   * Returns whether the bootloader would still boot this slot.
   *
   * @return {@code true} if the slot is in the boot order with attempts left
   */
  public boolean bootable() {
    return inOrder && attemptsLeft > 0;
  }
}
