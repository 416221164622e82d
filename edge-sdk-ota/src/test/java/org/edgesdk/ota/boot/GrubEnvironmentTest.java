package org.edgesdk.ota.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrubEnvironmentTest {
  @TempDir Path dir;

  private static Map<String, String> raucVars() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("ORDER", "B A");
    vars.put("A_OK", "1");
    vars.put("A_TRY", "0");
    vars.put("B_OK", "1");
    vars.put("B_TRY", "1");
    return vars;
  }

  @Test
  void encode_raucVariables_matchesGoldenFile() throws Exception {
    try (InputStream in = GrubEnvironmentTest.class.getResourceAsStream("/golden/grubenv-rauc.bin")) {
      assertArrayEquals(Objects.requireNonNull(in).readAllBytes(), GrubEnvironment.encode(raucVars()));
    }
  }

  @Test
  void encode_anyVariables_exactly1024BytesHashPadded() {
    byte[] block = GrubEnvironment.encode(Map.of("a", "b"));
    assertEquals(1024, block.length);
    assertEquals('#', block[1023]);
  }

  @Test
  void roundTrip_backslashAndNewlineInValue_kept() {
    Map<String, String> vars = Map.of("v", "a\\b\nc");
    assertEquals(vars, GrubEnvironment.parse(GrubEnvironment.encode(vars), "t"));
  }

  @Test
  void parse_wrongSize_corruptData() {
    EdgeException e = assertThrows(EdgeException.class, () -> GrubEnvironment.parse(new byte[10], "grubenv"));
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
  }

  @Test
  void encode_tooLarge_illegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> GrubEnvironment.encode(Map.of("x", "y".repeat(1100))));
  }

  private static void assumeTool() {
    assumeTrue(Tools.onPath("grub-editenv"), "grub-editenv not installed (apt-get install grub-common)");
  }

  @Test
  void write_grubEditenvListsExactly() throws Exception {
    assumeTool();
    Path file = dir.resolve("grubenv");
    Map<String, String> vars = raucVars();
    vars.put("odd", "back\\slash");
    new GrubEnvironment(file).write(vars);
    Tools.Result r = Tools.run("grub-editenv", file.toString(), "list");
    assertEquals(0, r.exit());
    Map<String, String> listed = new TreeMap<>();
    r.out().lines().forEach(l -> listed.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    assertEquals(new TreeMap<>(vars), listed);
  }

  @Test
  void grubEditenvSet_weReadWhatItWrote() throws Exception {
    assumeTool();
    Path file = dir.resolve("grubenv");
    assertEquals(0, Tools.run("grub-editenv", file.toString(), "create").exit());
    assertEquals(0, Tools.run("grub-editenv", file.toString(), "set", "ORDER=A B", "A_OK=1", "A_TRY=0", "x=a\\b").exit());
    assertEquals(0, Tools.run("grub-editenv", file.toString(), "set", "A_TRY=1").exit());
    assertEquals(Map.of("ORDER", "A B", "A_OK", "1", "A_TRY", "1", "x", "a\\b"),
        new TreeMap<>(new GrubEnvironment(file).read()));
    assertEquals(1024, Files.size(file));
  }
}
