package org.edgesdk.ota.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UBootEnvironmentTest {
  @TempDir Path dir;

  private static Map<String, String> raucVars() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("bootcmd", "run raucboot");
    vars.put("BOOT_ORDER", "B A");
    vars.put("BOOT_A_LEFT", "3");
    vars.put("BOOT_B_LEFT", "2");
    return vars;
  }

  private Path config(boolean redundant, int size) throws IOException {
    Path env = dir.resolve("uboot.env");
    Files.write(env, new byte[redundant ? 2 * size : size]);
    String text = env + " 0x0 0x" + Integer.toHexString(size) + "\n"
        + (redundant ? env + " 0x" + Integer.toHexString(size) + " 0x" + Integer.toHexString(size) + "\n" : "");
    Path cfg = dir.resolve("fw_env.config");
    Files.writeString(cfg, "# file-backed environment for tests\n" + text);
    return cfg;
  }

  static byte[] golden(String name) throws IOException {
    try (InputStream in = UBootEnvironmentTest.class.getResourceAsStream("/golden/" + name)) {
      String hex = new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.US_ASCII);
      return HexFormat.of().parseHex(hex.lines().filter(l -> !l.startsWith("#")).reduce("", String::concat).strip());
    }
  }

  @Test
  void encode_single_matchesGoldenFile() throws IOException {
    assertArrayEquals(golden("uboot-single-256.hex"), UBootEnvironment.encode(raucVars(), 256, false, 0));
  }

  @Test
  void encode_redundant_matchesGoldenFile() throws IOException {
    assertArrayEquals(golden("uboot-redundant-256-flag7.hex"), UBootEnvironment.encode(raucVars(), 256, true, 7));
  }

  @Test
  void parse_config_hexDecimalCommentsAndSectors() {
    FwEnvConfig c = FwEnvConfig.parse("# c\n/dev/mtd1 0x0 0x4000 0x10000 1\n\n/dev/mtd2 16384 0x4000 # x\n", "f");
    assertEquals(2, c.copies().size());
    assertEquals(16384, c.copies().get(1).offset());
    assertEquals(0x4000, c.copies().get(0).size());
  }

  @Test
  void parse_badConfig_corruptDataNamingLine() {
    EdgeException e = assertThrows(EdgeException.class, () -> FwEnvConfig.parse("/dev/x zz 0x4000\n", "fw_env.config"));
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertEquals(true, e.problem().contains("line 1"));
  }

  @Test
  void write_redundant_alternatesCopiesAndNewerFlagWins() throws IOException {
    UBootEnvironment env = UBootEnvironment.fromConfigFile(config(true, 0x100));
    env.write(Map.of("x", "1"));
    env.write(Map.of("x", "2"));
    env.write(Map.of("x", "3"));
    assertEquals(Map.of("x", "3"), env.read());
    byte[] raw = Files.readAllBytes(dir.resolve("uboot.env"));
    // as libubootenv: with no valid copy, copy 0 counts as current, so copy 1 is written first
    assertEquals(3, raw[0x100 + 4]);
    assertEquals(2, raw[4]);
  }

  @Test
  void read_redundantNewestCopyTorn_previousCopyWins() throws IOException {
    UBootEnvironment env = UBootEnvironment.fromConfigFile(config(true, 0x100));
    env.write(Map.of("x", "1"));
    env.write(Map.of("x", "2")); // into copy 0
    byte[] raw = Files.readAllBytes(dir.resolve("uboot.env"));
    raw[10] ^= 0x55; // a power cut tore copy 0
    Files.write(dir.resolve("uboot.env"), raw);
    assertEquals(Map.of("x", "1"), env.read());
  }

  @Test
  void read_flagWrapsAround_zeroIsNewerThan255() throws IOException {
    Path cfg = config(true, 0x100);
    byte[] raw = new byte[0x200];
    System.arraycopy(UBootEnvironment.encode(Map.of("x", "old"), 0x100, true, 255), 0, raw, 0, 0x100);
    System.arraycopy(UBootEnvironment.encode(Map.of("x", "new"), 0x100, true, 0), 0, raw, 0x100, 0x100);
    Files.write(dir.resolve("uboot.env"), raw);
    assertEquals(Map.of("x", "new"), UBootEnvironment.fromConfigFile(cfg).read());
  }

  @Test
  void read_noValidCopy_corruptData() throws IOException {
    EdgeException e = assertThrows(EdgeException.class, () -> UBootEnvironment.fromConfigFile(config(false, 0x100)).read());
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertFalse(UBootEnvironment.fromConfigFile(config(false, 0x100)).exists());
  }

  @Test
  void write_tooManyVariables_illegalArgument() throws IOException {
    UBootEnvironment env = UBootEnvironment.fromConfigFile(config(false, 0x20));
    assertThrows(IllegalArgumentException.class, () -> env.write(Map.of("long", "x".repeat(40))));
  }

  // --- interoperability with libubootenv's fw_printenv / fw_setenv (Debian libubootenv-tool) ---

  private static void assumeTools() {
    assumeTrue(Tools.onPath("fw_printenv") && Tools.onPath("fw_setenv"),
        "fw_printenv/fw_setenv not installed (apt-get install libubootenv-tool)");
  }

  private static Map<String, String> fwPrintenv(Path cfg) throws Exception {
    Tools.Result r = Tools.run("fw_printenv", "-c", cfg.toString());
    assertEquals(0, r.exit(), r.out());
    Map<String, String> vars = new TreeMap<>();
    r.out().lines().forEach(l -> vars.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return vars;
  }

  @Test
  void write_single_fwPrintenvReadsExactly() throws Exception {
    assumeTools();
    Path cfg = config(false, 0x2000);
    UBootEnvironment.fromConfigFile(cfg).write(raucVars());
    assertEquals(new TreeMap<>(raucVars()), fwPrintenv(cfg));
  }

  @Test
  void write_redundant_fwPrintenvReadsNewestAfterEachWrite() throws Exception {
    assumeTools();
    Path cfg = config(true, 0x2000);
    UBootEnvironment env = UBootEnvironment.fromConfigFile(cfg);
    for (int i = 0; i < 3; i++) {
      Map<String, String> vars = raucVars();
      vars.put("BOOT_B_LEFT", Integer.toString(i));
      env.write(vars);
      assertEquals(new TreeMap<>(vars), fwPrintenv(cfg));
    }
  }

  @Test
  void fwSetenv_singleAndRedundant_weReadWhatItWrote() throws Exception {
    assumeTools();
    for (boolean redundant : new boolean[] {false, true}) {
      Path cfg = config(redundant, 0x2000);
      Path defaults = Files.writeString(dir.resolve("defaults.env"), "");
      for (int i = 0; i < 3; i++) { // several writes, so redundant copies alternate
        Tools.Result r = Tools.run("fw_setenv", "-c", cfg.toString(), "-f", defaults.toString(),
            "BOOT_ORDER", "A B", "BOOT_A_LEFT", Integer.toString(i), "bootcmd", "run x; echo \\;");
        assertEquals(0, r.exit());
      }
      Map<String, String> read = new TreeMap<>(UBootEnvironment.fromConfigFile(cfg).read());
      assertEquals(Map.of("BOOT_ORDER", "A B", "BOOT_A_LEFT", "2", "bootcmd", "run x; echo \\;"), read,
          redundant ? "redundant" : "single");
    }
  }

  @Test
  void ourWriteAfterFwSetenv_redundant_fwPrintenvSeesOurs() throws Exception {
    assumeTools();
    Path cfg = config(true, 0x2000);
    Path defaults = Files.writeString(dir.resolve("defaults.env"), "");
    assertEquals(0, Tools.run("fw_setenv", "-c", cfg.toString(), "-f", defaults.toString(), "a", "1").exit());
    assertEquals(0, Tools.run("fw_setenv", "-c", cfg.toString(), "-f", defaults.toString(), "a", "2").exit());
    UBootEnvironment env = UBootEnvironment.fromConfigFile(cfg);
    Map<String, String> vars = new LinkedHashMap<>(env.read());
    vars.put("b", "ours");
    env.write(vars);
    assertEquals(Map.of("a", "2", "b", "ours"), fwPrintenv(cfg));
    assertEquals(0, Tools.run("fw_setenv", "-c", cfg.toString(), "-f", defaults.toString(), "c", "3").exit());
    assertEquals(Map.of("a", "2", "b", "ours", "c", "3"), new TreeMap<>(env.read()));
  }
}
