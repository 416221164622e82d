package org.edgesdk.ota.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.edgesdk.ota.boot.spi.BootControlProvider;

/**
 * Finds boot control backends through {@link ServiceLoader}: the built-in {@code uboot} (U-Boot
 * environment via {@code fw_env.config}), {@code grub} (GRUB environment block) and {@code file}
 * (a plain variables file for containers and tests), and any {@link BootControlProvider} on the
 * module or class path.
 */
public final class BootControls {
  private BootControls() {}

  /**
   * Opens the named backend.
   *
   * @param backend the provider's name, for example {@code uboot}
   * @param settings the backend's file and slots
   * @return the boot control
   * @throws IllegalArgumentException if no provider has this name
   */
  public static BootControl open(String backend, BootSettings settings) {
    List<String> names = new ArrayList<>();
    for (BootControlProvider p : ServiceLoader.load(BootControlProvider.class, BootControls.class.getClassLoader())) {
      if (p.name().equals(backend)) {
        return p.create(settings);
      }
      names.add(p.name());
    }
    throw new IllegalArgumentException("no boot control backend '" + backend + "' (available: " + names + ")");
  }
}
