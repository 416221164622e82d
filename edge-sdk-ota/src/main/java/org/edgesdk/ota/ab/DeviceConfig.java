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
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.boot.BootSettings;
import org.edgesdk.ota.boot.spi.BootControlProvider;

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
 * {@code bootloader.variables} (optional) is {@code rauc} (the default) or {@code mender} (Mender's
 * U-Boot variables, {@code uboot} and {@code file} backends); with {@code mender},
 * {@code bootloader.partitions} maps each slot to its partition number, by default the number that
 * ends the slot's device ({@code /dev/mmcblk0p3}: 3).
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
 * @param variables the bootloader variable convention: {@code rauc} or {@code mender}
 * @param partitions each slot's partition number (used by {@code mender}); may be empty
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
    Optional<String> bootedSlot,
    String variables,
    Map<String, Integer> partitions) {

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
    Objects.requireNonNull(variables, "variables");
    slots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    partitions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(partitions));
    // validates names, attempts, the convention and the partitions
    new BootSettings(bootFile, List.copyOf(slots.keySet()), attempts, variables, partitions);
    if (bootedSlot.isPresent() && !slots.containsKey(bootedSlot.get())) {
      throw new IllegalArgumentException("bootedSlot '" + bootedSlot.get() + "' is not one of " + slots.keySet());
    }
  }

  /**
   * A configuration with RAUC's variables.
   *
   * @param compatible the hardware identifier targets must run on
   * @param backend the boot control backend
   * @param bootFile the backend's file
   * @param attempts boot attempts a new slot gets
   * @param slots slot name to device or image file, in default boot order
   * @param stateDirectory where the update state and the TUF metadata are kept
   * @param repository the TUF repository URL
   * @param trustedRoot the shipped TUF root metadata
   * @param bootedSlot the booted slot if configured explicitly
   */
  public DeviceConfig(String compatible, String backend, Path bootFile, int attempts, Map<String, Path> slots,
      Path stateDirectory, URI repository, Path trustedRoot, Optional<String> bootedSlot) {
    this(compatible, backend, bootFile, attempts, slots, stateDirectory, repository, trustedRoot, bootedSlot,
        BootSettings.RAUC, Map.of());
  }

  /**
   * Returns the boot control settings this configuration names.
   *
   * @return the settings
   */
  public BootSettings bootSettings() {
    return new BootSettings(bootFile, List.copyOf(slots.keySet()), attempts, variables, partitions);
  }

  private static final String SEE = "; the README's 'Device configuration' section lists every key";

  /** A wrong value of one key, with the fix for that key. */
  private static final class BadKey extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String remedy;

    BadKey(String problem, String remedy) {
      super(problem, null, false, false);
      this.remedy = remedy;
    }
  }

  /**
   * Reads a configuration file.
   *
   * @param file the JSON file
   * @return the configuration
   * @throws EdgeException {@code NOT_FOUND} if the file is missing, {@code CORRUPT_DATA} if it is not
   *     JSON or a key is missing or wrong (the problem names the key, the remedy its fix)
   */
  public static DeviceConfig load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new EdgeException(ErrorCode.NOT_FOUND, "device configuration " + file + " does not exist",
          "create it as the README's 'Device configuration' section shows, or pass the right path", e);
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(),
          "check the file's permissions", e);
    }
    Path base = file.toAbsolutePath().getParent();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, "device configuration " + file + " is not valid JSON: "
          + e.getOriginalMessage() + " at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()),
          "fix the JSON syntax" + SEE, e);
    } catch (IOException e) {
      throw new EdgeException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), "check the file", e);
    }
    try {
      if (root == null || !root.isObject()) {
        throw new BadKey("the file is not a JSON object", "write one JSON object {...} holding the keys" + SEE);
      }
      String compatible = text(root, "compatible", "set it to the hardware identifier targets list, e.g. \"rpi4\"");
      JsonNode slotNode = root.path("slots");
      if (!slotNode.isObject() || slotNode.size() < 2) {
        throw new BadKey("'slots' must be an object of at least two slot names to devices",
            "set \"slots\": {\"A\": \"/dev/mmcblk0p2\", \"B\": \"/dev/mmcblk0p3\"}");
      }
      Map<String, Path> slots = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : slotNode.properties()) {
        if (!e.getKey().matches("[A-Za-z0-9]+")) {
          throw new BadKey("slot name '" + e.getKey() + "' in 'slots' is not letters and digits", "rename it, for example A and B");
        }
        slots.put(e.getKey(), base.resolve(text(slotNode, e.getKey(), "slots." + e.getKey(), "set it to the slot's block device or image file")));
      }
      JsonNode boot = root.path("bootloader");
      if (!boot.isObject()) {
        throw new BadKey("'bootloader' must be an object", "set \"bootloader\": {\"backend\": \"uboot\"|\"grub\"|\"file\", \"file\": PATH}");
      }
      String backend = text(boot, "backend", "bootloader.backend", "set it to uboot, grub or file");
      List<String> known = backends();
      if (!known.contains(backend)) {
        throw new BadKey("'bootloader.backend' is '" + backend + "', which no boot control provider offers (available: " + known + ")",
            "set it to one of " + known);
      }
      Path bootFile = base.resolve(text(boot, "file", "bootloader.file",
          "name the backend's file: fw_env.config (uboot), grubenv (grub) or the variables file (file)"));
      int attempts = 3;
      if (boot.has("attempts")) {
        JsonNode a = boot.get("attempts");
        if (!a.canConvertToInt() || !a.isIntegralNumber() || a.asInt() < 1 || a.asInt() > 255) {
          throw new BadKey("'bootloader.attempts' must be a whole number 1..255 but is " + a, "set it to 3 (RAUC's default) or remove it");
        }
        attempts = a.asInt();
      }
      String variables = BootSettings.RAUC;
      if (boot.has("variables")) {
        variables = text(boot, "variables", "bootloader.variables", "set it to rauc or mender, or remove it (default rauc)");
        if (!variables.equals(BootSettings.RAUC) && !variables.equals(BootSettings.MENDER)) {
          throw new BadKey("'bootloader.variables' is '" + variables + "'", "set it to rauc or mender, or remove it (default rauc)");
        }
        if (variables.equals(BootSettings.MENDER) && !backend.equals("uboot") && !backend.equals("file")) {
          throw new BadKey("'bootloader.variables' mender needs the uboot or file backend, not " + backend,
              "set bootloader.backend to uboot, or bootloader.variables to rauc");
        }
      }
      Map<String, Integer> partitions = partitions(boot, slots, variables);
      Path stateDirectory = base.resolve(text(root, "stateDirectory", "name a writable directory, e.g. /var/lib/edgesdk/ota"));
      URI repository = uri(text(root, "repository", "set it to the TUF repository's URL or directory"), base);
      Path trustedRoot = base.resolve(text(root, "trustedRoot", "name the root.json shipped with the device (the repository's 1.root.json)"));
      JsonNode booted = root.path("bootedSlot");
      Optional<String> bootedSlot = Optional.empty();
      if (!booted.isMissingNode() && !booted.isNull()) {
        if (!booted.isTextual() || !slots.containsKey(booted.asText())) {
          throw new BadKey("'bootedSlot' is " + booted + ", not one of " + slots.keySet(),
              "set it to one of " + slots.keySet() + ", or null to read rauc.slot= or root= from /proc/cmdline");
        }
        bootedSlot = Optional.of(booted.asText());
      }
      return new DeviceConfig(compatible, backend, bootFile, attempts, slots, stateDirectory, repository, trustedRoot,
          bootedSlot, variables, partitions);
    } catch (BadKey e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, "device configuration " + file + ": " + e.getMessage(), e.remedy, e);
    } catch (IllegalArgumentException e) {
      throw new EdgeException(ErrorCode.CORRUPT_DATA, "device configuration " + file + ": " + e.getMessage(),
          "fix the value named" + SEE, e);
    }
  }

  private static List<String> backends() {
    List<String> names = new ArrayList<>();
    for (BootControlProvider p : ServiceLoader.load(BootControlProvider.class, DeviceConfig.class.getClassLoader())) {
      names.add(p.name());
    }
    return names;
  }

  private static final Pattern PARTITION_SUFFIX = Pattern.compile(".*?(\\d+)$");

  private static Map<String, Integer> partitions(JsonNode boot, Map<String, Path> slots, String variables) {
    Map<String, Integer> out = new LinkedHashMap<>();
    JsonNode node = boot.path("partitions");
    if (!node.isMissingNode()) {
      if (!node.isObject()) {
        throw new BadKey("'bootloader.partitions' must be an object of slot name to partition number",
            "set it to {\"A\": 2, \"B\": 3}");
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        int n = e.getValue().isIntegralNumber() ? e.getValue().asInt() : -1;
        if (!slots.containsKey(e.getKey()) || n < 1 || n > 255) {
          throw new BadKey("'bootloader.partitions." + e.getKey() + "' is " + e.getValue() + "; it must name one of "
              + slots.keySet() + " and a partition number 1..255", "set it to {\"A\": 2, \"B\": 3} with your partition numbers");
        }
        out.put(e.getKey(), n);
      }
    }
    if (variables.equals(BootSettings.MENDER)) {
      if (slots.size() != 2) {
        throw new BadKey("'slots' has " + slots.size() + " slots but Mender's variables handle exactly two", "name two slots, A and B");
      }
      for (Map.Entry<String, Path> e : slots.entrySet()) {
        if (!out.containsKey(e.getKey())) {
          Matcher m = PARTITION_SUFFIX.matcher(e.getValue().toString());
          if (!m.matches() || Integer.parseInt(m.group(1).substring(Math.max(0, m.group(1).length() - 4))) < 1) {
            throw new BadKey("'bootloader.partitions." + e.getKey() + "' is missing and slot device " + e.getValue()
                + " ends in no partition number", "set \"partitions\": {\"A\": 2, \"B\": 3} under bootloader (mender_boot_part's values)");
          }
          out.put(e.getKey(), Integer.parseInt(m.group(1).substring(Math.max(0, m.group(1).length() - 4))));
        }
      }
      if (out.values().stream().distinct().count() != 2) {
        throw new BadKey("'bootloader.partitions' gives both slots partition " + out.values().iterator().next(),
            "give each slot its own partition number");
      }
    }
    return out;
  }

  private static URI uri(String value, Path base) {
    URI u;
    try {
      u = new URI(value);
    } catch (java.net.URISyntaxException e) {
      return base.resolve(value).toUri(); // a directory name with characters a URI does not allow
    }
    if (u.getScheme() == null) {
      return base.resolve(value).toUri();
    }
    if (!List.of("http", "https", "file").contains(u.getScheme().toLowerCase(java.util.Locale.ROOT))) {
      throw new BadKey("'repository' is " + value + ", an unsupported URL scheme", "use an http://, https:// or file:// URL, or a directory");
    }
    return u;
  }

  private static String text(JsonNode parent, String key, String remedy) {
    return text(parent, key, key, remedy);
  }

  private static String text(JsonNode parent, String key, String qualified, String remedy) {
    JsonNode node = parent.path(key);
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new BadKey("'" + qualified + "' " + (node.isMissingNode() ? "is missing" : "is " + node)
          + "; it must be a non-empty string", remedy);
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
