package org.edgesdk.ota.tuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.edgesdk.ota.tuf.internal.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed JSON, wrong types, huge numbers and unknown key types: a clear error naming the file and
 * field, and the trusted state untouched.
 */
class MalformedMetadataTest {
  @TempDir Path tmp;
  TestRepo repo;
  Path state;
  Map<String, String> trusted;

  @BeforeEach
  void setUp() throws IOException {
    repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    state = tmp.resolve("state");
    repo.client(state).refresh();
    repo.publish();
    trusted = TestRepo.contents(state);
  }

  private String refused(Refusal refusal) {
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> repo.client(state).refresh());
    assertEquals(refusal, e.refusal(), e.getMessage());
    assertEquals(trusted, TestRepo.contents(state), "the trusted state must be unchanged");
    assertTrue(!e.oneLine().contains("\n"));
    return e.problem();
  }

  private void timestampWith(Consumer<ObjectNode> edit) {
    repo.resign("timestamp.json", "timestamp", edit);
  }

  @Test
  void notJson_refusedAsMalformed() {
    repo.write("timestamp.json", "{\"signed\": {".getBytes(StandardCharsets.UTF_8));
    assertTrue(refused(Refusal.MALFORMED_METADATA).startsWith("malformed metadata: timestamp.json is not valid JSON"));
  }

  @Test
  void trailingGarbage_refusedAsMalformed() {
    byte[] ts = repo.read("timestamp.json");
    byte[] withGarbage = new byte[ts.length + 3];
    System.arraycopy(ts, 0, withGarbage, 0, ts.length);
    System.arraycopy("{}x".getBytes(StandardCharsets.UTF_8), 0, withGarbage, ts.length, 3);
    repo.write("timestamp.json", withGarbage);
    refused(Refusal.MALFORMED_METADATA);
  }

  @Test
  void duplicateKey_refusedAsMalformed() {
    String ts = new String(repo.read("timestamp.json"), StandardCharsets.UTF_8);
    repo.write("timestamp.json", ts.replaceFirst("\"_type\"", "\"version\" : 99, \"_type\"").getBytes(StandardCharsets.UTF_8));
    assertTrue(refused(Refusal.MALFORMED_METADATA).contains("version"));
  }

  @Test
  void versionAsString_refusedNamingTheField() {
    timestampWith(t -> t.put("version", "3"));
    assertTrue(refused(Refusal.MALFORMED_METADATA).contains("timestamp.json signed.version must be an integer but is string \"3\""));
  }

  @Test
  void hugeVersion_refusedNamingTheRange() {
    timestampWith(t -> t.put("version", new java.math.BigInteger("123456789012345678901234567890")));
    assertTrue(refused(Refusal.MALFORMED_METADATA).contains("must be between 1 and 9223372036854775807"));
  }

  @Test
  void absurdlyLongNumber_refusedAsMalformed() {
    String ts = new String(repo.read("timestamp.json"), StandardCharsets.UTF_8);
    repo.write("timestamp.json", ts.replaceFirst("\"version\" : \\d+", "\"version\" : " + "9".repeat(5000))
        .getBytes(StandardCharsets.UTF_8));
    refused(Refusal.MALFORMED_METADATA);
  }

  @Test
  void floatingPointVersion_refused() {
    String ts = new String(repo.read("timestamp.json"), StandardCharsets.UTF_8);
    repo.write("timestamp.json", ts.replaceFirst("\"version\" : \\d+", "\"version\" : 2.5")
        .getBytes(StandardCharsets.UTF_8));
    refused(Refusal.MALFORMED_METADATA);
  }

  @Test
  void missingField_refusedNamingIt() {
    timestampWith(t -> t.remove("expires"));
    assertTrue(refused(Refusal.MALFORMED_METADATA).contains("lacks the field 'expires'"));
  }

  @Test
  void wrongType_refusedNamingExpectedAndActual() {
    timestampWith(t -> t.put("_type", "snapshot"));
    assertTrue(refused(Refusal.MALFORMED_METADATA).contains("has _type 'snapshot' but 'timestamp' was expected"));
  }

  @Test
  void badExpiryFormat_refused() {
    timestampWith(t -> t.put("expires", "next tuesday"));
    assertTrue(refused(Refusal.MALFORMED_METADATA).contains("must be YYYY-MM-DDTHH:MM:SSZ"));
  }

  @Test
  void unsupportedSpecVersion_refused() {
    timestampWith(t -> t.put("spec_version", "2.0.0"));
    assertTrue(refused(Refusal.MALFORMED_METADATA).contains("this client supports 1.x"));
  }

  @Test
  void unknownKeyTypeInNewRoot_refusedWithAClearReason() {
    repo.publisher.rotateKeys("timestamp", KeyType.ED25519);
    ObjectNode root = repo.signed("2.root.json");
    ((ObjectNode) root.get("keys")).putObject("abcdef0123456789")
        .put("keytype", "sphincs").put("scheme", "sphincs-shake-256")
        .putObject("keyval").put("public", "00");
    ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("roles").get("root").get("keyids")).add("abcdef0123456789");
    ((ObjectNode) root.get("roles").get("root")).put("threshold", 2);
    byte[] signed = TestRepo.sign(root, repo.keys("root"));
    // add a signature claimed by the unknown key
    String text = new String(signed, StandardCharsets.UTF_8).replaceFirst("\"signatures\" : \\[",
        "\"signatures\" : [ {\"keyid\": \"abcdef0123456789\", \"sig\": \"00\"},");
    repo.write("2.root.json", text.getBytes(StandardCharsets.UTF_8));
    String problem = refused(Refusal.ARBITRARY_INSTALLATION);
    assertTrue(problem.contains("unsupported key type 'sphincs'"), problem);
  }

  @Test
  void keyIdListedTwiceInARole_refusedAsMalformed() {
    String id = repo.keyIds("timestamp").get(0);
    ObjectNode root = repo.root().deepCopy();
    root.put("version", 2);
    ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("roles").get("timestamp").get("keyids")).add(id);
    repo.write("2.root.json", TestRepo.sign(root, repo.keys("root")));
    assertTrue(refused(Refusal.MALFORMED_METADATA).contains("lists a key id twice"));
  }

  @Test
  void invalidShippedRoot_failsAtBuild() {
    SigningKey other = SigningKey.generate(KeyType.ED25519);
    byte[] forged = TestRepo.sign(repo.signed("1.root.json"), java.util.List.of(other));
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> TufClient.builder()
        .transport(Transport.of(repo.publisher.repositoryDir().toUri(), Timeouts.defaults()))
        .trustedRoot(forged).stateDirectory(state).build());
    assertEquals(Refusal.ARBITRARY_INSTALLATION, e.refusal());
  }
}
