package org.edgesdk.ota.boot.spi;

import org.edgesdk.ota.boot.BootControl;
import org.edgesdk.ota.boot.BootSettings;

/**
 * A boot control backend, found with {@link java.util.ServiceLoader}. Declare it with
 * {@code provides org.edgesdk.ota.boot.spi.BootControlProvider with ...} in {@code module-info.java}
 * and in {@code META-INF/services/org.edgesdk.ota.boot.spi.BootControlProvider}.
 */
public interface BootControlProvider {

  /**
   * Returns the name a device configuration selects this backend by.
   *
   * @return the name, for example {@code uboot}
   */
  String name();

  /**
   * Creates a boot control for one device.
   *
   * @param settings the backend's file and slots
   * @return the boot control
   */
  BootControl create(BootSettings settings);
}
