package org.edgesdk.ota.boot.internal;

import java.nio.file.Files;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.boot.BootControl;
import org.edgesdk.ota.boot.BootSettings;
import org.edgesdk.ota.boot.GrubEnvironment;
import org.edgesdk.ota.boot.UBootEnvironment;
import org.edgesdk.ota.boot.spi.BootControlProvider;

/** The built-in providers. */
public final class Providers {
  private Providers() {}

  /**
   * Picks the control for the settings' variable convention.
   *
   * @throws IllegalArgumentException for a convention the backend does not know
   */
  static BootControl uBootVariables(String backend, org.edgesdk.ota.boot.Environment env, BootSettings settings) {
    return switch (settings.variables()) {
      case BootSettings.RAUC -> new RaucUBootControl(backend, env, settings);
      case BootSettings.MENDER -> new MenderUBootControl(backend, env, settings);
      default -> throw new IllegalArgumentException("the " + backend + " backend knows the variables rauc and mender, not '"
          + settings.variables() + "'");
    };
  }

  /**
   * {@code uboot}: RAUC's variables (or, with {@code variables} {@code mender}, Mender's) in the
   * U-Boot environment that {@code fw_env.config} names.
   */
  public static final class UBoot implements BootControlProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public UBoot() {}

    @Override
    public String name() {
      return "uboot";
    }

    @Override
    public BootControl create(BootSettings settings) {
      return uBootVariables("uboot", UBootEnvironment.fromConfigFile(settings.file()), settings);
    }
  }

  /** {@code grub}: RAUC's variables in a GRUB environment block, created if missing. */
  public static final class Grub implements BootControlProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public Grub() {}

    @Override
    public String name() {
      return "grub";
    }

    @Override
    public BootControl create(BootSettings settings) {
      if (!settings.variables().equals(BootSettings.RAUC)) {
        throw new IllegalArgumentException("the grub backend knows RAUC's variables only, not '" + settings.variables() + "'");
      }
      GrubEnvironment env = new GrubEnvironment(settings.file());
      if (!Files.exists(settings.file())) {
        env.write(new java.util.LinkedHashMap<>());
      }
      return new RaucGrubControl(env, settings);
    }
  }

  /** {@code file}: RAUC's (or Mender's) U-Boot variables in a plain file, for containers and tests. */
  public static final class File implements BootControlProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public File() {}

    @Override
    public String name() {
      return "file";
    }

    @Override
    public BootControl create(BootSettings settings) {
      if (Files.isDirectory(settings.file())) {
        throw new EdgeException(ErrorCode.INVALID_ARGUMENT, settings.file() + " is a directory",
            "name a file for the boot variables, for example /var/lib/edgesdk/bootvars");
      }
      return uBootVariables("file", new FileEnvironment(settings.file()), settings);
    }
  }
}
