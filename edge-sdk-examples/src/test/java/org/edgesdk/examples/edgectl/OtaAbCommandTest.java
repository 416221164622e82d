package org.edgesdk.examples.edgectl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.edgesdk.api.ota.Compression;
import org.edgesdk.ota.boot.FwEnvConfig;
import org.edgesdk.ota.boot.UBootEnvironment;
import org.edgesdk.ota.repo.RepositoryPublisher;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.KeyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code edgectl ota status|install|mark-good|mark-bad|simulate-boot}: full update cycles driven
 * only through the CLI, on file slots in a temporary directory, with the {@code file} backend and
 * the real stores of the {@code uboot} (redundant {@code fw_env.config} environment) and
 * {@code grub} ({@code grubenv}) backends, RAUC's variables and Mender's.
 */
class OtaAbCommandTest {
  @TempDir Path dir;
  RepositoryPublisher repo;
  Path config;
  Path host;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private int ota(String command, String... more) {
    List<String> all = new ArrayList<>(List.of("ota", command, "--config", config.toString(), "--root", host.toString()));
    all.addAll(List.of(more));
    return run(all.toArray(String[]::new));
  }

  private JsonNode json(String command, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of(more));
    args.add("--json");
    assertEquals(0, ota(command, args.toArray(String[]::new)), err.toString());
    return new ObjectMapper().readTree(out.toString());
  }

  static byte[] image(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A device: slot A holds release 1.0 and is booted; a local repository; the backend's store. */
  private void device(String backend) throws IOException {
    repo = RepositoryPublisher.init(dir.resolve("repo"), KeyType.ED25519, Clock.systemUTC());
    repo.publish(Duration.ofDays(7));
    Files.write(dir.resolve("slot-a.img"), image(1, 100_000));
    Files.write(dir.resolve("slot-b.img"), new byte[0]);
    host = Files.createDirectories(dir.resolve("host"));
    Files.createDirectories(host.resolve("proc"));
    String bootloader;
    switch (backend) {
      case "uboot", "uboot-mender" -> {
        Path env = dir.resolve("uboot.env");
        Files.write(env, new byte[0x4000]);
        Path cfg = Files.writeString(dir.resolve("fw_env.config"), env + " 0x0 0x2000\n" + env + " 0x2000 0x2000\n");
        // the default environment U-Boot was built with (RAUC's boot script, or env_mender.h's)
        new UBootEnvironment(FwEnvConfig.parse(Files.readString(cfg), cfg.toString())).write(backend.equals("uboot")
            ? Map.of("bootcmd", "run raucboot")
            : Map.of("altbootcmd", "run mender_altbootcmd; run bootcmd", "bootlimit", "1", "bootcount", "0",
                "upgrade_available", "0", "mender_boot_part", "2", "mender_boot_part_hex", "2"));
        bootloader = backend.equals("uboot")
            ? "{\"backend\": \"uboot\", \"file\": \"fw_env.config\"}"
            : "{\"backend\": \"uboot\", \"file\": \"fw_env.config\", \"variables\": \"mender\", \"partitions\": {\"A\": 2, \"B\": 3}}";
      }
      case "grub" -> bootloader = "{\"backend\": \"grub\", \"file\": \"grubenv\"}";
      case "file-mender" -> bootloader = "{\"backend\": \"file\", \"file\": \"bootvars\", \"variables\": \"mender\", \"partitions\": {\"A\": 2, \"B\": 3}}";
      default -> bootloader = "{\"backend\": \"file\", \"file\": \"bootvars\", \"attempts\": 3}";
    }
    config = Files.writeString(dir.resolve("device.json"), """
        {
          "compatible": "sim",
          "bootloader": %s,
          "slots": {"A": "slot-a.img", "B": "slot-b.img"},
          "stateDirectory": "state",
          "repository": "repo/repository",
          "trustedRoot": "repo/repository/metadata/1.root.json"
        }
        """.formatted(bootloader));
    // the first power-on boots A; the kernel command line names it
    assertEquals(0, ota("simulate-boot"), err.toString());
    assertTrue(out.toString().contains("booted slot A"), out.toString());
  }

  private byte[] publish(String name, long seed, String version, long securityVersion, boolean gzip) throws IOException {
    byte[] img = image(seed, 150_000);
    Path file = dir.resolve(name);
    if (gzip) {
      try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
        o.write(img);
      }
    } else {
      Files.write(file, img);
    }
    repo.addTarget(file, name, UpdateFields.release(version).withHardware(Set.of("sim"))
        .withSecurityVersion(securityVersion).withCompression(gzip ? Compression.GZIP : Compression.NONE));
    repo.publish(Duration.ofDays(7));
    return img;
  }

  private String booted() throws IOException {
    return json("simulate-boot").get("booted").asText();
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "uboot", "grub", "uboot-mender", "file-mender"})
  void fullCycles_goodCommittedBadRolledBack_throughTheCli(String backend) throws IOException {
    device(backend);
    JsonNode st = json("status");
    assertEquals("A", st.get("booted").asText());
    assertEquals("idle", st.get("update").get("state").asText());
    assertTrue(st.get("update").get("target").isNull());
    assertTrue(st.get("update").get("progressBytes").isNull());
    assertEquals("unknown", st.get("slots").get("B").get("state").asText());

    // a good update: installed into B, booted, committed
    byte[] v2 = publish("rootfs-2.img", 2, "2.0", 2, false);
    assertEquals(0, ota("install"), err.toString());
    assertTrue(out.toString().contains("installing rootfs-2.img 2.0"), out.toString());
    assertTrue(out.toString().contains("wrote rootfs-2.img to slot B"), out.toString());
    assertArrayEquals(v2, Files.readAllBytes(dir.resolve("slot-b.img")));
    st = json("status");
    assertEquals("installed", st.get("update").get("state").asText());
    assertEquals("rootfs-2.img", st.get("update").get("target").asText());
    assertEquals("B", st.get("primary").asText());
    assertEquals("A", st.get("booted").asText());

    assertEquals(1, ota("install"));
    assertTrue(err.toString().startsWith("edgectl: error: NOT_APPLIED: update rootfs-2.img is installed"), err.toString());

    assertEquals("B", booted());
    st = json("status");
    assertEquals("B", st.get("booted").asText());
    assertEquals("trial", st.get("update").get("state").asText());
    assertEquals("trial", st.get("slots").get("B").get("state").asText());
    assertEquals("2.0", st.get("slots").get("B").get("version").asText());

    assertEquals(1, ota("install"), "install while a trial is pending");
    assertTrue(err.toString().contains("NOT_APPLIED: update rootfs-2.img is trial; fix: run 'edgectl ota mark-good'"), err.toString());

    JsonNode good = json("mark-good");
    assertEquals("committed", good.get("result").asText());
    assertEquals("B", good.get("slot").asText());
    assertEquals("2.0", good.get("version").asText());
    assertEquals("B", booted(), "a committed slot keeps booting");
    assertEquals(0, ota("mark-good")); // as after every boot (GRUB's script spends the try; this gives it back)
    assertTrue(out.toString().contains("marked the booted slot B good"), out.toString());
    st = json("status");
    assertEquals("committed", st.get("update").get("state").asText());
    assertEquals("good", st.get("slots").get("B").get("state").asText());
    assertEquals("B", st.get("primary").asText());

    assertEquals(0, ota("install"));
    assertTrue(out.toString().startsWith("nothing to install: no target for 'sim' newer than 2.0"), out.toString());

    // a bad update: installed into A (gzip), booted, fails its checks, rolled back; never again
    byte[] v3 = publish("rootfs-3.img", 3, "3.0", 3, true);
    JsonNode inst = json("install");
    assertEquals("A", inst.get("slot").asText());
    assertEquals("rootfs-3.img", inst.get("target").asText());
    assertArrayEquals(v3, Files.readAllBytes(dir.resolve("slot-a.img")));
    assertEquals("A", booted());
    assertEquals("trial", json("status").get("update").get("state").asText());
    JsonNode bad = json("mark-bad");
    assertEquals("rolled-back", bad.get("result").asText());
    assertEquals("A", bad.get("slot").asText());
    assertEquals("3.0", bad.get("version").asText());
    assertEquals("B", booted(), "the reboot returns to the committed slot");
    st = json("status");
    assertEquals("rolled-back", st.get("update").get("state").asText());
    assertEquals("bad", st.get("slots").get("A").get("state").asText());
    assertEquals("good", st.get("slots").get("B").get("state").asText());
    assertEquals("2.0", st.get("slots").get("B").get("version").asText());
    assertEquals("B", st.get("booted").asText());

    JsonNode none = json("install");
    assertEquals(false, none.get("installed").asBoolean());
    assertTrue(none.get("reason").asText().startsWith("nothing to install"), none.toString());

    assertEquals(1, ota("mark-bad"), "mark-bad with nothing in trial");
    assertTrue(err.toString().startsWith("edgectl: error: NOT_APPLIED: no update is in trial (update state rolled-back"),
        err.toString());
    assertEquals(1, err.toString().lines().count());
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "uboot", "grub", "uboot-mender"})
  void neverBoots_bootloaderFallsBack_statusReportsRollback(String backend) throws IOException {
    device(backend);
    publish("rootfs-2.img", 2, "2.0", 2, false);
    assertEquals(0, ota("install"), err.toString());
    assertEquals("B", booted());
    assertEquals(0, ota("mark-good"), err.toString());
    publish("rootfs-3.img", 3, "3.0", 3, false);
    assertEquals(0, ota("install", "--target", "rootfs-3.img"), err.toString());
    // slot A never comes up: no command runs between power-ons, each spends an attempt
    List<String> boots = new ArrayList<>();
    String slot;
    do {
      slot = booted();
      boots.add(slot);
    } while (slot.equals("A") && boots.size() < 10);
    assertEquals("B", slot, "fell back after " + boots);
    JsonNode st = json("status");
    assertEquals("rolled-back", st.get("update").get("state").asText());
    assertEquals("good", st.get("slots").get("B").get("state").asText());
    assertEquals("2.0", st.get("slots").get("B").get("version").asText());
    assertEquals("bad", st.get("slots").get("A").get("state").asText());
  }

  @Test
  void install_slotUnwritable_ioErrorThenResumesTheInterruptedTarget() throws IOException {
    device("file");
    byte[] v2 = publish("rootfs-2.img", 2, "2.0", 2, false);
    Path slotB = dir.resolve("slot-b.img");
    Files.delete(slotB);
    Files.createDirectory(slotB); // the slot cannot be opened for writing
    assertEquals(1, ota("install"));
    assertTrue(err.toString().startsWith("edgectl: error: IO_ERROR: cannot install target rootfs-2.img into slot " + slotB), err.toString());
    JsonNode st = json("status");
    assertEquals("downloading", st.get("update").get("state").asText());
    assertEquals("rootfs-2.img", st.get("update").get("target").asText());
    assertEquals(0, st.get("update").get("progressBytes").asLong());
    assertEquals("A", st.get("primary").asText(), "the half-written slot is not bootable");

    Files.delete(slotB);
    publish("rootfs-3.img", 3, "3.0", 3, false); // newer, but the interrupted install comes first
    assertEquals(0, ota("install"), err.toString());
    assertTrue(out.toString().contains("installing rootfs-2.img 2.0"), out.toString());
    assertArrayEquals(v2, Files.readAllBytes(slotB));
  }

  @Test
  void status_text_namesSlotsAndUpdate() throws IOException {
    device("file");
    assertEquals(0, ota("status"), err.toString());
    assertTrue(out.toString().startsWith("booted A, bootloader primary A (file)"), out.toString());
    assertTrue(out.toString().contains("update idle"), out.toString());
  }

  @Test
  void missingConfig_notFoundOneLine() {
    host = dir;
    config = dir.resolve("nope.json");
    for (String command : List.of("status", "install", "mark-good", "mark-bad", "simulate-boot")) {
      assertEquals(1, ota(command), command);
      assertTrue(err.toString().startsWith("edgectl: error: NOT_FOUND: device configuration " + config + " does not exist; fix: "),
          err.toString());
      assertEquals(1, err.toString().lines().count());
    }
  }

  @Test
  void badJson_corruptData() throws IOException {
    host = dir;
    config = Files.writeString(dir.resolve("device.json"), "{\"compatible\": \"sim\",");
    assertEquals(1, ota("status"));
    assertTrue(err.toString().startsWith("edgectl: error: CORRUPT_DATA: device configuration " + config + " is not valid JSON"),
        err.toString());
    assertTrue(err.toString().contains("; fix: fix the JSON syntax"), err.toString());
  }

  @Test
  void unknownBackend_corruptDataNamingKey() throws IOException {
    device("file");
    Files.writeString(config, Files.readString(config).replace("\"backend\": \"file\"", "\"backend\": \"lilo\""));
    assertEquals(1, ota("status"));
    assertTrue(err.toString().contains("CORRUPT_DATA: device configuration " + config
        + ": 'bootloader.backend' is 'lilo', which no boot control provider offers"), err.toString());
    assertTrue(err.toString().contains("fix: set it to one of ["), err.toString());
  }

  @Test
  void noBootedSlot_installAndMarkGoodFailNotFound_statusShowsNull() throws IOException {
    device("file");
    Files.writeString(host.resolve("proc/cmdline"), "console=ttyS0 root=/dev/sda1\n");
    publish("rootfs-2.img", 2, "2.0", 2, false);
    assertEquals(1, ota("install"));
    assertTrue(err.toString().startsWith("edgectl: error: NOT_FOUND: cannot tell the booted slot: "), err.toString());
    assertTrue(err.toString().contains("fix: add rauc.slot=NAME"), err.toString());
    assertEquals(1, ota("mark-good"));
    assertTrue(err.toString().contains("NOT_FOUND: cannot tell the booted slot"), err.toString());
    assertTrue(json("status").get("booted").isNull());
  }

  @Test
  void installNamedTarget_unknown_notFound() throws IOException {
    device("file");
    assertEquals(1, ota("install", "--target", "nope.img"));
    assertTrue(err.toString().startsWith("edgectl: error: NOT_FOUND: the repository lists no target 'nope.img'"), err.toString());
  }

  @Test
  void missingConfigOption_usageError() {
    assertEquals(2, run("ota", "status"));
    assertTrue(err.toString().startsWith("edgectl: usage error: Missing required option: '--config=FILE'"), err.toString());
  }

  @Test
  void ota_noSubcommand_usageErrorListsTheLifecycleCommands() {
    assertEquals(2, run("ota"));
    assertTrue(err.toString().contains("status, install, mark-good, mark-bad, simulate-boot"), err.toString());
  }

  @Test
  void simulateBoot_json_bootedSlotAndCmdlineWritten() throws IOException {
    device("file");
    assertEquals("A", booted());
    assertTrue(Files.readString(host.resolve("proc/cmdline")).contains("rauc.slot=A"));
  }
}
