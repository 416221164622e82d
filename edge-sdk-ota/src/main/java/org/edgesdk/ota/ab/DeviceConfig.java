package org.edgesdk.ota.ab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.boot.BootSettings;

/**
 * One device's A/B update configuration, read from a JSON file:
 *
 * <pre>{@code
 * {
 *   "compatible": "rpi4",
 *   "bootloader": {"backend": "uboot", "file": "/etc/fw_env.config", "attempts": 3},
 *   "slots": {"A": "/dev/mmcblk0p2", "B": "/dev/mmcblk0p3"},
 *   "stateDirectory": "/var/lib/edgesdk/ota",
 *   "repository": "https://updates.example.com/fleet/",
 *   "trustedRoot": "/usr/share/edgesdk/root.json",
 *   "bootedSlot": null
 * }
 * }</pre>
 *
 * <p>Relative paths are resolved against the configuration file's directory. {@code attempts}
 * defaults to 3; {@code bootedSlot} (optional) overrides detection from {@code /proc/cmdline}.
 *
 * @param compatible the hardware identifier targets must run on (their {@code hardware} list)
 * @param backend the boot control backend: {@code uboot}, {@code grub} or {@code file}
 * @param bootFile the backend's file ({@code fw_env.config}, {@code grubenv} or the variables file)
 * @param attempts boot attempts a new slot gets
 * @param slots slot name to device or image file, in default boot order
 * @param stateDirectory where the update state and the TUF metadata are kept
 * @param repository the TUF repository URL
 * @param trustedRoot the shipped TUF root metadata
 * @param bootedSlot the booted slot if configured explicitly
 */
public record DeviceConfig(
    String compatible,
    String backend,
    Path bootFile,
    int attempts,
    Map<String, Path> slots,
    Path stateDirectory,
    URI repository,
    Path trustedRoot,
    Optional<String> bootedSlot) {

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the slots are not valid boot slots or the explicit booted
   *     slot is not one of them
   */
  public DeviceConfig {
    Objects.requireNonNull(compatible, "compatible");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(bootFile, "bootFile");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    Objects.requireNonNull(bootedSlot, "bootedSlot");
    slots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    new BootSettings(bootFile, List.copyOf(slots.keySet()), attempts); // validates names and attempts
    if (bootedSlot.isPresent() && !slots.containsKey(bootedSlot.get())) {
      throw new IllegalArgumentException("bootedSlot '" + bootedSlot.get() + "' is not one of " + slots.keySet());
    }
  }

  /**
   * Returns the boot control settings this configuration names.
   *
   * @return the settings
   */
  public BootSettings bootSettings() {
    return new BootSettings(bootFile, List.copyOf(slots.keySet()), attempts);
  }

  /**
   * Reads a configuration file.
   *
   * @param file the JSON file
   * @return the configuration
   * @throws EdgeException {@code NOT_FOUND} if the file is missing, {@code CORRUPT_DATA} naming the
   *     field that is missing or wrong
   */
  public static DeviceConfig load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new EdgeException(ErrorCode.NOT_FOUND, "device configuration " + file + " does not exist",
          "create it as the README's 'A/B updates' section shows", e);
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(),
          "check the file's permissions", e);
    }
    Path base = file.toAbsolutePath().getParent();
    try {
      JsonNode root = new ObjectMapper().readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("the file is not a JSON object");
      }
      JsonNode boot = root.path("bootloader");
      Map<String, Path> slots = new LinkedHashMap<>();
      JsonNode slotNode = root.path("slots");
      if (!slotNode.isObject()) {
        throw new IllegalArgumentException("'slots' must be an object of slot name to device");
      }
      for (Map.Entry<String, JsonNode> e : slotNode.properties()) {
        slots.put(e.getKey(), base.resolve(text(e.getValue(), "slots." + e.getKey())));
      }
      JsonNode booted = root.path("bootedSlot");
      return new DeviceConfig(
          text(root.path("compatible"), "compatible"),
          text(boot.path("backend"), "bootloader.backend"),
          base.resolve(text(boot.path("file"), "bootloader.file")),
          boot.has("attempts") ? boot.get("attempts").asInt(-1) : 3,
          slots,
          base.resolve(text(root.path("stateDirectory"), "stateDirectory")),
          uri(text(root.path("repository"), "repository"), base),
          base.resolve(text(root.path("trustedRoot"), "trustedRoot")),
          booted.isTextual() ? Optional.of(booted.asText()) : Optional.empty());
    } catch (IOException | IllegalArgumentException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, "device configuration " + file + ": " + e.getMessage(),
          "fix the field named; the README's 'A/B updates' section shows every field", e);
    }
  }

  private static URI uri(String value, Path base) {
    URI u = URI.create(value);
    return u.getScheme() == null ? base.resolve(value).toUri() : u;
  }

  private static String text(JsonNode node, String field) {
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
    }
    return node.asText();
  }

  /**
   * Returns the slot names in default boot order.
   *
   * @return the names
   */
  public List<String> slotNames() {
    return new ArrayList<>(slots.keySet());
  }
}
