package org.edgesdk.examples.edgectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtaCommandTest {
  @TempDir Path tmp;
  Path repo;
  Path state;
  Path root;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @BeforeEach
  void publishARepository() throws IOException {
    repo = tmp.resolve("repo");
    state = tmp.resolve("state");
    root = repo.resolve("repository/metadata/1.root.json");
    assertEquals(0, run("ota", "repo", "init", "--dir", repo.toString()), err.toString());
    assertTrue(out.toString().contains("ship " + root), out.toString());
    Path image = Files.writeString(tmp.resolve("rootfs.img"), "rootfs image 1.4.2");
    assertEquals(0, run("ota", "repo", "add", "--dir", repo.toString(), "--file", image.toString(),
        "--name", "rootfs-1.4.2.img", "--version", "1.4.2", "--hardware", "rpi4,rpi5",
        "--slot-class", "rootfs", "--security-version", "2"), err.toString());
    assertEquals(0, run("ota", "repo", "publish", "--dir", repo.toString(), "--expires", "30d"), err.toString());
  }

  private String[] client(String command, String... more) {
    String[] base = {"ota", command, "--repo", repo.resolve("repository").toUri().toString(),
        "--trusted-root", root.toString(), "--state", state.toString()};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void check_json_listsTargetsWithInstallability() throws IOException {
    assertEquals(0, run(client("check", "--hardware", "rpi4", "--json")), err.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(0, json.get("securityFloor").asLong());
    JsonNode t = json.get("targets").get(0);
    assertEquals("rootfs-1.4.2.img", t.get("name").asText());
    assertEquals("1.4.2", t.get("releaseVersion").asText());
    assertEquals("[\"rpi4\",\"rpi5\"]", t.get("hardware").toString());
    assertEquals("rootfs", t.get("slotClass").asText());
    assertEquals(2, t.get("securityVersion").asLong());
    assertTrue(t.get("installable").asBoolean());
    assertTrue(t.get("reason").isNull());
  }

  @Test
  void check_otherHardware_notInstallable() throws IOException {
    assertEquals(0, run(client("check", "--hardware", "jetson-orin", "--json")), err.toString());
    JsonNode t = new ObjectMapper().readTree(out.toString()).get("targets").get(0);
    assertFalse(t.get("installable").asBoolean());
    assertTrue(t.get("reason").asText().contains("not jetson-orin"));
  }

  @Test
  void fetch_fromFileUrl_writesVerifiedTarget() throws IOException {
    Path dest = tmp.resolve("out/rootfs.img");
    assertEquals(0, run(client("fetch", "--target", "rootfs-1.4.2.img", "--out", dest.toString())), err.toString());
    assertEquals("rootfs image 1.4.2", Files.readString(dest));
  }

  @Test
  void check_replayedTimestamp_exitOne_oneLineNamingTheAttack_stateUnchanged() throws IOException {
    Path timestamp = repo.resolve("repository/metadata/timestamp.json");
    byte[] old = Files.readAllBytes(timestamp);
    assertEquals(0, run("ota", "repo", "publish", "--dir", repo.toString()));
    assertEquals(0, run(client("check")), err.toString());
    byte[] trusted = Files.readAllBytes(state.resolve("timestamp.json"));
    Files.write(timestamp, old);

    assertEquals(1, run(client("check")));
    String line = err.toString().strip();
    assertFalse(line.contains("\n"), line);
    assertTrue(line.startsWith("edgectl: error: VERIFICATION_FAILED: rollback attack: timestamp.json version"), line);
    assertTrue(line.contains("; fix: "), line);
    assertEquals(new String(trusted), Files.readString(state.resolve("timestamp.json")));
  }

  @Test
  void rotate_thenPublish_clientFollowsTheNewRoot() throws IOException {
    assertEquals(0, run(client("check")), err.toString());
    assertEquals(0, run("ota", "repo", "rotate", "--dir", repo.toString(), "--role", "root", "--key-type", "ecdsa"), err.toString());
    assertEquals(0, run("ota", "repo", "rotate", "--dir", repo.toString(), "--role", "timestamp"), err.toString());
    assertEquals(0, run("ota", "repo", "publish", "--dir", repo.toString()), err.toString());
    assertEquals(0, run(client("check")), err.toString());
    assertTrue(Files.readString(state.resolve("root.json")).contains("\"version\" : 3"));
  }

  @Test
  void publish_badDuration_isUsageError() {
    assertEquals(2, run("ota", "repo", "publish", "--dir", repo.toString(), "--expires", "soon"));
    assertTrue(err.toString().contains("invalid duration 'soon'"), err.toString());
  }

  @Test
  void check_missingRepository_exitOne() {
    assertEquals(1, run("ota", "check", "--repo", tmp.resolve("nothing").toString(),
        "--trusted-root", root.toString(), "--state", state.toString()));
    assertTrue(err.toString().startsWith("edgectl: error: NOT_FOUND: the repository has no metadata/timestamp.json"),
        err.toString());
  }

  @Test
  void demo_otaChapter_publishesFetchesAndRefusesAReplay() {
    assertEquals(0, run("demo"), err.toString());
    String text = out.toString();
    assertTrue(text.contains(". Verified updates: a TUF repository"), text);
    assertTrue(text.contains(": length and sha256 verified"), text);
    assertTrue(text.contains("replay     refused: rollback attack: timestamp.json version 2 is lower than the trusted version 3"), text);
  }
}
