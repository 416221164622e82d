package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.ota.boot.BootSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The device configuration file: defaults, and an error naming the key and its fix for each wrong key. */
class DeviceConfigTest {
  @TempDir Path dir;

  static final String GOOD = """
      {
        "compatible": "rpi4",
        "bootloader": {"backend": "uboot", "file": "/etc/fw_env.config", "attempts": 3},
        "slots": {"A": "/dev/mmcblk0p2", "B": "/dev/mmcblk0p3"},
        "stateDirectory": "/var/lib/edgesdk/ota",
        "repository": "https://updates.example.com/fleet/",
        "trustedRoot": "/usr/share/edgesdk/root.json",
        "bootedSlot": null
      }
      """;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("device.json"), text);
  }

  @Test
  void readmeExample_loadsWithDefaults() throws IOException {
    DeviceConfig c = DeviceConfig.load(write(GOOD.replace(", \"attempts\": 3", "").replace("\"bootedSlot\": null", "\"x\": 1")));
    assertEquals("rpi4", c.compatible());
    assertEquals("uboot", c.backend());
    assertEquals(3, c.attempts());
    assertEquals(BootSettings.RAUC, c.variables());
    assertEquals(Map.of(), c.partitions());
    assertEquals(Optional.empty(), c.bootedSlot());
    assertEquals(Path.of("/dev/mmcblk0p3"), c.slots().get("B"));
    assertEquals("https://updates.example.com/fleet/", c.repository().toString());
  }

  @Test
  void relativePaths_resolvedAgainstTheFilesDirectory() throws IOException {
    DeviceConfig c = DeviceConfig.load(write(GOOD.replace("\"/etc/fw_env.config\"", "\"fw_env.config\"")
        .replace("\"https://updates.example.com/fleet/\"", "\"repo\"")));
    assertEquals(dir.resolve("fw_env.config"), c.bootFile());
    assertEquals(dir.resolve("repo").toUri(), c.repository());
  }

  @Test
  void mender_partitionsFromDeviceNamesOrExplicit() throws IOException {
    DeviceConfig c = DeviceConfig.load(write(GOOD.replace("\"attempts\": 3", "\"variables\": \"mender\"")));
    assertEquals(Map.of("A", 2, "B", 3), c.partitions());
    c = DeviceConfig.load(write(GOOD.replace("\"attempts\": 3", "\"variables\": \"mender\", \"partitions\": {\"A\": 5, \"B\": 6}")));
    assertEquals(Map.of("A", 5, "B", 6), c.bootSettings().partitions());
  }

  @Test
  void mender_slotDeviceWithoutPartitionNumber_namesPartitionsKey() throws IOException {
    Path file = write(GOOD.replace("\"attempts\": 3", "\"variables\": \"mender\"").replace("/dev/mmcblk0p3", "/srv/slot-b.img"));
    EdgeException e = assertThrows(EdgeException.class, () -> DeviceConfig.load(file));
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().contains("'bootloader.partitions.B' is missing and slot device /srv/slot-b.img ends in no partition number"),
        e.problem());
    assertTrue(e.remedy().contains("\"partitions\": {\"A\": 2, \"B\": 3}"), e.remedy());
  }

  @Test
  void missingFile_notFound() {
    EdgeException e = assertThrows(EdgeException.class, () -> DeviceConfig.load(dir.resolve("nope.json")));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.remedy().contains("README"), e.remedy());
  }

  @Test
  void notJson_corruptDataWithLine() throws IOException {
    EdgeException e = assertThrows(EdgeException.class, () -> DeviceConfig.load(write("{\n\"compatible\": rpi4}")));
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().contains("is not valid JSON") && e.problem().contains("line 2"), e.problem());
    assertTrue(e.remedy().startsWith("fix the JSON syntax"), e.remedy());
  }

  /** Each row: text to replace in the good file, its replacement, the key the problem names, the fix's words. */
  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      "compatible": "rpi4",                        |                                           | 'compatible' is missing         | hardware identifier
      "compatible": "rpi4"                         | "compatible": 4                           | 'compatible' is 4               | hardware identifier
      "bootloader": {"backend": "uboot", "file": "/etc/fw_env.config", "attempts": 3} | "bootloader": "uboot" | 'bootloader' must be an object | "backend"
      "backend": "uboot",                          |                                           | 'bootloader.backend' is missing | uboot, grub or file
      "backend": "uboot"                           | "backend": "lilo"                         | 'bootloader.backend' is 'lilo'  | set it to one of [
      "file": "/etc/fw_env.config",                |                                           | 'bootloader.file' is missing    | fw_env.config (uboot)
      "attempts": 3                                | "attempts": 0                             | 'bootloader.attempts'           | set it to 3
      "attempts": 3                                | "attempts": "three"                       | 'bootloader.attempts'           | set it to 3
      "attempts": 3                                | "variables": "swupdate"                   | 'bootloader.variables' is 'swupdate' | rauc or mender
      "attempts": 3                                | "variables": "mender", "partitions": [2]  | 'bootloader.partitions' must be an object | {"A": 2, "B": 3}
      "attempts": 3                                | "variables": "mender", "partitions": {"A": 2, "C": 3} | 'bootloader.partitions.C' | {"A": 2, "B": 3}
      "attempts": 3                                | "variables": "mender", "partitions": {"A": 2, "B": 2} | gives both slots partition 2 | its own partition number
      "backend": "uboot"                           | "backend": "grub", "variables": "mender"  | mender needs the uboot or file backend | bootloader.variables to rauc
      "slots": {"A": "/dev/mmcblk0p2", "B": "/dev/mmcblk0p3"} | "slots": {"A": "/dev/mmcblk0p2"} | 'slots' must be an object of at least two | "slots"
      "slots": {"A": "/dev/mmcblk0p2", "B": "/dev/mmcblk0p3"} | "slots": {"A": "/dev/x", "B-1": "/dev/y"} | slot name 'B-1' | rename it
      "B": "/dev/mmcblk0p3"                        | "B": ""                                   | 'slots.B'                       | block device or image file
      "stateDirectory": "/var/lib/edgesdk/ota",    |                                           | 'stateDirectory' is missing     | writable directory
      "repository": "https://updates.example.com/fleet/", |                                    | 'repository' is missing         | TUF repository
      "https://updates.example.com/fleet/"         | "ftp://updates.example.com/"              | 'repository' is ftp             | http://, https:// or file://
      "trustedRoot": "/usr/share/edgesdk/root.json", |                                         | 'trustedRoot' is missing        | root.json shipped
      "bootedSlot": null                           | "bootedSlot": "C"                         | 'bootedSlot' is "C"             | set it to one of [A, B]
      """)
  void wrongKey_corruptDataNamingKeyAndFix(String from, String to, String problem, String remedy) throws IOException {
    String text = GOOD.replace(from.strip(), to == null ? "" : to.strip());
    if (to == null) {
      text = text.replace("\"bootloader\": {, ", "\"bootloader\": {").replace(", }", "}");
    }
    Path file = write(text);
    EdgeException e = assertThrows(EdgeException.class, () -> DeviceConfig.load(file), text);
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().startsWith("device configuration " + file + ": "), e.problem());
    assertTrue(e.problem().contains(problem.strip()), e.problem());
    assertTrue(e.remedy().contains(remedy.strip()), e.remedy());
  }
}
