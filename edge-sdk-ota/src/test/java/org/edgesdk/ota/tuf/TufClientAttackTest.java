package org.edgesdk.ota.tuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.Compression;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.internal.Json;
import org.edgesdk.ota.tuf.internal.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per attack of REFERENCE.md §5, each named (display name) after the matching
 * tuf-conformance test, on a repository built with the publisher API and an injected clock.
 */
class TufClientAttackTest {

  @TempDir Path tmp;
  TestRepo repo;
  Path state;

  @BeforeEach
  void setUp() throws IOException {
    repo = new TestRepo(Files.createDirectory(tmp.resolve("repo")));
    state = tmp.resolve("state");
    repo.addTarget("rootfs-1.0.img", "image one", UpdateFields.release("1.0")
        .withHardware(Set.of("rpi4")).withSlotClass("rootfs").withCompression(Compression.GZIP)
        .withSecurityVersion(3));
    repo.publish();
  }

  private TufClient client() {
    return repo.client(state);
  }

  /** Refresh must fail with the refusal and leave the trusted state byte for byte as it was. */
  private RepositoryRefusedException assertRefused(Refusal refusal) {
    Map<String, String> before = TestRepo.contents(state);
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> client().refresh());
    assertEquals(refusal, e.refusal(), e.getMessage());
    assertTrue(e.problem().startsWith(refusal.label() + ": "), e.problem());
    assertEquals(before, TestRepo.contents(state), "the trusted state must be unchanged");
    return e;
  }

  private long trustedVersion(String file) throws IOException {
    return Json.parse(Files.readAllBytes(state.resolve(file)), file).get("signed").get("version").asLong();
  }

  // --- the normal path ------------------------------------------------------------------------

  @Test
  @DisplayName("test_basic_refresh_trusted_data / test_client_downloads_expected_file / test_custom_fields")
  void refresh_validRepository_listsTargetsWithUpdateFields_andDownloadsVerified() throws IOException {
    TufClient client = client();
    client.refresh();
    List<TargetDescription> targets = client.targets();
    assertEquals(1, targets.size());
    TargetDescription t = targets.get(0);
    assertEquals("rootfs-1.0.img", t.name());
    assertEquals(9, t.length());
    assertEquals("1.0", t.releaseVersion().orElseThrow());
    assertEquals(Set.of("rpi4"), t.hardware());
    assertEquals("rootfs", t.slotClass().orElseThrow());
    assertEquals(Compression.GZIP, t.compression());
    assertEquals(3, t.securityVersion());
    assertTrue(t.runsOn("rpi4"));
    assertFalse(t.runsOn("jetson-orin"));

    Path out = tmp.resolve("out/rootfs.img");
    client.download(t, out);
    assertEquals("image one", Files.readString(out));
    assertFalse(Files.exists(tmp.resolve("out/rootfs.img.part")));
    assertEquals(Set.of("root.json", "timestamp.json", "snapshot.json", "targets.json"),
        TestRepo.contents(state).keySet());
  }

  @Test
  @DisplayName("test_timestamp_content_changes (equal version keeps the trusted copy)")
  void refresh_twiceWithoutChanges_keepsTrustedVersions() throws IOException {
    client().refresh();
    Map<String, String> before = TestRepo.contents(state);
    client().refresh();
    assertEquals(before, TestRepo.contents(state));
  }

  // --- arbitrary installation -------------------------------------------------------------------

  @Test
  @DisplayName("test_unsigned_metadata")
  void arbitraryInstallation_unsignedTimestamp_refused() {
    client().refresh();
    repo.publish();
    ObjectNode doc = (ObjectNode) Json.parse(repo.read("timestamp.json"), "t");
    doc.putArray("signatures");
    repo.write("timestamp.json", Json.write(doc));
    RepositoryRefusedException e = assertRefused(Refusal.ARBITRARY_INSTALLATION);
    assertTrue(e.problem().contains("unsigned"), e.problem());
  }

  @Test
  @DisplayName("test_invalid_sig_in_valid_metadata (content changed after signing)")
  void arbitraryInstallation_badSignature_refused() {
    repo.publish();
    ObjectNode doc = (ObjectNode) Json.parse(repo.read("timestamp.json"), "t");
    ((ObjectNode) doc.get("signed")).put("expires", "2099-01-01T00:00:00Z");
    repo.write("timestamp.json", Json.write(doc));
    RepositoryRefusedException e = assertRefused(Refusal.ARBITRARY_INSTALLATION);
    assertTrue(e.problem().contains("is invalid"), e.problem());
  }

  @Test
  @DisplayName("test_unsigned_metadata (signed by a key the root does not list)")
  void arbitraryInstallation_untrustedKey_refused() {
    SigningKey attacker = SigningKey.generate(KeyType.ED25519);
    ObjectNode body = repo.signed("timestamp.json");
    body.put("version", 99);
    repo.write("timestamp.json", TestRepo.sign(body, List.of(attacker)));
    assertRefused(Refusal.ARBITRARY_INSTALLATION);
  }

  @Test
  @DisplayName("test_snapshot_does_not_meet_threshold")
  void arbitraryInstallation_belowThreshold_refused() {
    repo.publisher.addKey("snapshot", KeyType.ECDSA_P256);
    repo.publisher.setThreshold("snapshot", 2);
    repo.publish();
    client().refresh(); // both signatures present: accepted

    repo.publish();
    String snapshotFile = repo.signed("snapshot.json").get("version").asLong() + ".snapshot.json";
    ObjectNode body = repo.signed(snapshotFile);
    repo.write(snapshotFile, TestRepo.sign(body, List.of(repo.key(repo.keyIds("snapshot").get(0)))));
    repo.write("snapshot.json", repo.read(snapshotFile));
    repo.relinkTimestamp();
    RepositoryRefusedException e = assertRefused(Refusal.ARBITRARY_INSTALLATION);
    assertTrue(e.problem().contains("1 valid signature from distinct trusted keys, threshold is 2"), e.problem());
  }

  @Test
  @DisplayName("test_duplicate_sig_keyids")
  void arbitraryInstallation_duplicateSignaturesOfOneKey_countOnce_refused() {
    repo.publisher.addKey("snapshot", KeyType.ED25519);
    repo.publisher.setThreshold("snapshot", 2);
    repo.publish();
    String snapshotFile = repo.signed("snapshot.json").get("version").asLong() + ".snapshot.json";
    SigningKey one = repo.key(repo.keyIds("snapshot").get(0));
    repo.write(snapshotFile, TestRepo.sign(repo.signed(snapshotFile), List.of(one, one)));
    repo.write("snapshot.json", repo.read(snapshotFile));
    repo.relinkTimestamp();
    assertRefused(Refusal.ARBITRARY_INSTALLATION);
  }

  @Test
  @DisplayName("test_invalid_sig_in_valid_metadata")
  void threshold_metDespiteAnExtraInvalidSignature_accepted() {
    repo.publish();
    ObjectNode doc = (ObjectNode) Json.parse(repo.read("timestamp.json"), "t");
    ArrayNode sigs = (ArrayNode) doc.get("signatures");
    sigs.insertObject(0).put("keyid", repo.keyIds("timestamp").get(0)).put("sig", "00".repeat(64));
    repo.write("timestamp.json", Json.write(doc));
    client().refresh();
  }

  // --- rollback ---------------------------------------------------------------------------------

  @Test
  @DisplayName("test_new_timestamp_version_rollback")
  void rollback_olderTimestamp_refused() throws IOException {
    byte[] old = repo.read("timestamp.json");
    repo.publish();
    client().refresh();
    assertEquals(3, trustedVersion("timestamp.json"));
    repo.write("timestamp.json", old);
    RepositoryRefusedException e = assertRefused(Refusal.ROLLBACK);
    assertTrue(e.problem().contains("timestamp.json version 2 is lower than the trusted version 3"), e.problem());
  }

  @Test
  @DisplayName("test_snapshot_rollback")
  void rollback_timestampListingOlderSnapshot_refused() throws IOException {
    repo.publish();
    client().refresh();
    assertEquals(3, trustedVersion("snapshot.json"));
    repo.resign("timestamp.json", "timestamp", t -> {
      t.put("version", 10);
      ((ObjectNode) t.get("meta").get("snapshot.json")).put("version", 2);
    });
    assertRefused(Refusal.ROLLBACK);
  }

  @Test
  @DisplayName("test_targets_rollback")
  void rollback_snapshotListingOlderTargets_refused() throws IOException {
    repo.publish();
    client().refresh();
    assertEquals(3, trustedVersion("targets.json"));
    repo.publish();
    String snapshotFile = repo.signed("snapshot.json").get("version").asLong() + ".snapshot.json";
    ObjectNode body = repo.signed(snapshotFile);
    ((ObjectNode) body.get("meta").get("targets.json")).put("version", 2).remove(List.of("length", "hashes"));
    repo.write(snapshotFile, TestRepo.sign(body, repo.keys("snapshot")));
    repo.write("snapshot.json", repo.read(snapshotFile));
    repo.relinkTimestamp();
    RepositoryRefusedException e = assertRefused(Refusal.ROLLBACK);
    assertTrue(e.problem().contains("targets.json version 2, lower than the trusted 3"), e.problem());
  }

  @Test
  @DisplayName("test_targets_role_removal")
  void rollback_snapshotDroppingADelegatedRole_refused() {
    repo.publisher.delegate("apps", List.of("apps/*"), false, KeyType.ED25519);
    repo.publish();
    client().refresh();
    repo.publish();
    String snapshotFile = repo.signed("snapshot.json").get("version").asLong() + ".snapshot.json";
    ObjectNode body = repo.signed(snapshotFile);
    ((ObjectNode) body.get("meta")).remove("apps.json");
    repo.write(snapshotFile, TestRepo.sign(body, repo.keys("snapshot")));
    repo.write("snapshot.json", repo.read(snapshotFile));
    repo.relinkTimestamp();
    RepositoryRefusedException e = assertRefused(Refusal.ROLLBACK);
    assertTrue(e.problem().contains("no longer lists apps.json"), e.problem());
  }

  @Test
  @DisplayName("test_root_rotation (new root must be version N+1)")
  void rollback_rootFileHoldingAnotherVersion_refused() {
    repo.publisher.rotateKeys("timestamp", KeyType.ED25519);
    repo.publish();
    // 2.root.json that claims version 3, signed by old and new root keys (the same key here).
    ObjectNode body = repo.signed("2.root.json");
    body.put("version", 3);
    repo.write("2.root.json", TestRepo.sign(body, repo.keys("root")));
    RepositoryRefusedException e = assertRefused(Refusal.ROLLBACK);
    assertTrue(e.problem().contains("holds root version 3 but version 2 was expected"), e.problem());
  }

  // --- freeze -----------------------------------------------------------------------------------

  @Test
  @DisplayName("test_timestamp_expired")
  void freeze_expiredTimestamp_refused() {
    client().refresh();
    repo.clock.advance(Duration.ofDays(8));
    RepositoryRefusedException e = assertRefused(Refusal.FREEZE);
    assertTrue(e.problem().contains("timestamp.json"), e.problem());
  }

  @Test
  @DisplayName("test_snapshot_expired")
  void freeze_expiredSnapshotWithFreshTimestamp_refused() {
    repo.publish();
    String snapshotFile = repo.signed("snapshot.json").get("version").asLong() + ".snapshot.json";
    repo.resign(snapshotFile, "snapshot", s -> s.put("expires", "2026-11-27T11:00:00Z"));
    repo.write("snapshot.json", repo.read(snapshotFile));
    repo.relinkTimestamp();
    RepositoryRefusedException e = assertRefused(Refusal.FREEZE);
    assertTrue(e.problem().contains("snapshot.json version 3 expired at 2026-11-27T11:00:00Z"), e.problem());
  }

  @Test
  @DisplayName("test_targets_expired")
  void freeze_expiredTargets_refused() {
    // timestamp and snapshot are fresh, the targets they list are 8 days old with a 7-day lifetime
    repo.resign("2.snapshot.json", "snapshot", s -> s.put("expires", "2027-01-01T00:00:00Z"));
    repo.write("snapshot.json", repo.read("2.snapshot.json"));
    repo.relinkTimestamp();
    repo.resign("timestamp.json", "timestamp", t -> t.put("expires", "2027-01-01T00:00:00Z"));
    repo.clock.advance(Duration.ofDays(8));
    RepositoryRefusedException e = assertRefused(Refusal.FREEZE);
    assertTrue(e.problem().contains("targets.json version 2 expired"), e.problem());
  }

  @Test
  @DisplayName("test_root_expired")
  void freeze_expiredRoot_refused() {
    repo.clock.advance(Duration.ofDays(366));
    RepositoryRefusedException e = assertRefused(Refusal.FREEZE);
    assertTrue(e.problem().contains("root.json version 1"), e.problem());
  }

  // --- mix-and-match ----------------------------------------------------------------------------

  @Test
  @DisplayName("test_snapshot_hash_mismatch")
  void mixAndMatch_snapshotDiffersFromTimestampsHash_refused() {
    repo.publish();
    String snapshotFile = repo.signed("snapshot.json").get("version").asLong() + ".snapshot.json";
    repo.resign(snapshotFile, "snapshot", s -> s.put("expires", "2026-12-01T00:00:00Z"));
    RepositoryRefusedException e = assertRefused(Refusal.MIX_AND_MATCH);
    assertTrue(e.problem().contains("but timestamp.json lists"), e.problem());
  }

  @Test
  @DisplayName("test_targets_hash_mismatch")
  void mixAndMatch_targetsDiffersFromSnapshotsHash_refused() {
    repo.publish();
    String targetsFile = repo.signed("targets.json").get("version").asLong() + ".targets.json";
    repo.resign(targetsFile, "targets", s -> s.put("expires", "2026-12-01T00:00:00Z"));
    RepositoryRefusedException e = assertRefused(Refusal.MIX_AND_MATCH);
    assertTrue(e.problem().contains("but snapshot.json lists"), e.problem());
  }

  @Test
  @DisplayName("test_url_and_metadata_version_mismatch")
  void mixAndMatch_snapshotVersionDiffersFromTimestamp_refused() {
    repo.publish(); // snapshot 3
    // 3.snapshot.json replaced by the validly signed version 2, timestamp re-linked to its bytes
    repo.write("3.snapshot.json", repo.read("2.snapshot.json"));
    repo.write("snapshot.json", repo.read("2.snapshot.json"));
    repo.resign("timestamp.json", "timestamp", t -> {
      byte[] s = repo.read("2.snapshot.json");
      ObjectNode meta = (ObjectNode) t.get("meta").get("snapshot.json");
      meta.put("length", s.length);
      ((ObjectNode) meta.get("hashes")).put("sha256", org.edgesdk.ota.tuf.internal.Crypto.sha256Hex(s));
    });
    RepositoryRefusedException e = assertRefused(Refusal.MIX_AND_MATCH);
    assertTrue(e.problem().contains("snapshot.json has version 2 but timestamp.json lists version 3"), e.problem());
  }

  // --- endless data -----------------------------------------------------------------------------

  @Test
  @DisplayName("endless data: timestamp.json above the size limit (no tuf-conformance counterpart)")
  void endlessData_oversizedTimestamp_refused() {
    byte[] ts = repo.read("timestamp.json");
    byte[] padded = new byte[20_000];
    java.util.Arrays.fill(padded, (byte) ' ');
    System.arraycopy(ts, 0, padded, 0, ts.length);
    repo.write("timestamp.json", padded);
    assertRefused(Refusal.ENDLESS_DATA);
  }

  @Test
  @DisplayName("endless data: a target longer than its metadata (no tuf-conformance counterpart)")
  void endlessData_targetLongerThanDeclared_refused() throws IOException {
    TufClient client = client();
    client.refresh();
    TargetDescription t = client.target("rootfs-1.0.img").orElseThrow();
    Path stored = repo.publisher.repositoryDir().resolve("targets/" + t.hashes().get("sha256") + ".rootfs-1.0.img");
    Files.writeString(stored, "image one and then some more");
    Path out = tmp.resolve("out.img");
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> client.download(t, out));
    assertEquals(Refusal.ENDLESS_DATA, e.refusal());
    assertFalse(Files.exists(out));
  }

  // --- substituted target -----------------------------------------------------------------------

  @Test
  @DisplayName("test_repository_substitutes_target_file")
  void substitutedTarget_sameLengthOtherBytes_refused_noFileLeft() throws IOException {
    TufClient client = client();
    client.refresh();
    TargetDescription t = client.target("rootfs-1.0.img").orElseThrow();
    Path stored = repo.publisher.repositoryDir().resolve("targets/" + t.hashes().get("sha256") + ".rootfs-1.0.img");
    Files.writeString(stored, "image two");
    Path out = tmp.resolve("out.img");
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class, () -> client.download(t, out));
    assertEquals(Refusal.SUBSTITUTED_TARGET, e.refusal());
    assertFalse(Files.exists(out));
    assertFalse(Files.exists(tmp.resolve("out.img.part")));
  }

  // --- anti-rollback floor ----------------------------------------------------------------------

  @Test
  @DisplayName("downgrade below the anti-rollback floor (no tuf-conformance counterpart)")
  void downgrade_targetBelowSecurityFloor_refused() {
    TufClient client = client();
    client.refresh();
    client.raiseSecurityFloor(4);
    client.raiseSecurityFloor(2); // never lowers
    assertEquals(4, client.securityFloor());
    TargetDescription t = client.target("rootfs-1.0.img").orElseThrow();
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class,
        () -> client.download(t, tmp.resolve("out.img")));
    assertEquals(Refusal.DOWNGRADE, e.refusal());
    assertTrue(e.problem().contains("security version 3, below this device's floor 4"), e.problem());
    assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
  }

  // --- key rotation and fast-forward recovery ---------------------------------------------------

  @Test
  @DisplayName("test_root_rotation")
  void keyRotation_rootRotatedTwice_clientWalksEveryVersion() throws IOException {
    client().refresh();
    repo.publisher.rotateKeys("root", KeyType.ECDSA_P256);
    repo.publisher.rotateKeys("root", KeyType.RSA_PSS_SHA256);
    repo.publish();
    client().refresh();
    assertEquals(3, trustedVersion("root.json"));
  }

  @Test
  @DisplayName("test_root_rotation (new root not signed by the old root keys)")
  void keyRotation_newRootWithoutOldKeysSignature_refused() {
    repo.publisher.rotateKeys("root", KeyType.ED25519);
    ObjectNode body = repo.signed("2.root.json");
    repo.write("2.root.json", TestRepo.sign(body, repo.keys("root"))); // new key only
    RepositoryRefusedException e = assertRefused(Refusal.ARBITRARY_INSTALLATION);
    assertTrue(e.problem().contains("by the keys of root version 1"), e.problem());
  }

  @Test
  @DisplayName("test_non_root_rotations")
  void keyRotation_targetsKeyRotated_oldKeyNoLongerAccepted() throws IOException {
    client().refresh();
    SigningKey oldTargetsKey = repo.key(repo.keyIds("targets").get(0));
    repo.publisher.rotateKeys("targets", KeyType.ED25519);
    repo.publish();
    client().refresh();
    assertEquals(2, trustedVersion("root.json"));

    // A targets file still signed with the retired key is refused.
    repo.publish();
    String targetsFile = repo.signed("targets.json").get("version").asLong() + ".targets.json";
    repo.write(targetsFile, TestRepo.sign(repo.signed(targetsFile), List.of(oldTargetsKey)));
    assertRefused(Refusal.MIX_AND_MATCH); // its bytes no longer match snapshot's hash
  }

  @Test
  @DisplayName("test_new_timestamp_fast_forward_recovery")
  void fastForwardRecovery_timestampKeyRotated_versionMayRestart() throws IOException {
    for (int i = 0; i < 5; i++) {
      repo.publish();
    }
    client().refresh();
    assertEquals(7, trustedVersion("timestamp.json"));
    repo.publisher.rotateKeys("timestamp", KeyType.ED25519);
    repo.publish();
    repo.resign("timestamp.json", "timestamp", t -> t.put("version", 1));
    client().refresh();
    assertEquals(1, trustedVersion("timestamp.json"));
  }

  @Test
  @DisplayName("test_new_timestamp_fast_forward_recovery (without key rotation the rollback is refused)")
  void fastForwardRecovery_withoutRotation_timestampRestartRefused() {
    for (int i = 0; i < 5; i++) {
      repo.publish();
    }
    client().refresh();
    repo.resign("timestamp.json", "timestamp", t -> t.put("version", 1));
    assertRefused(Refusal.ROLLBACK);
  }

  @Test
  @DisplayName("test_new_snapshot_fast_forward_recovery")
  void fastForwardRecovery_snapshotKeyRotated_versionMayRestart() throws IOException {
    for (int i = 0; i < 5; i++) {
      repo.publish();
    }
    client().refresh();
    assertEquals(7, trustedVersion("snapshot.json"));
    repo.publisher.rotateKeys("snapshot", KeyType.ED25519);
    repo.publisher.rotateKeys("timestamp", KeyType.ED25519);
    repo.publish(); // snapshot 8
    ObjectNode snapshot = repo.signed("8.snapshot.json");
    snapshot.put("version", 1);
    repo.write("1.snapshot.json", TestRepo.sign(snapshot, repo.keys("snapshot")));
    repo.write("snapshot.json", repo.read("1.snapshot.json"));
    repo.relinkTimestamp();
    client().refresh();
    assertEquals(1, trustedVersion("snapshot.json"));
  }

  // --- delegations ------------------------------------------------------------------------------

  @Test
  @DisplayName("test_targetfile_search / test_graph_traversal")
  void delegation_pathPattern_findsTargetInDelegatedRole_onlyUnderItsPaths() throws IOException {
    repo.publisher.delegate("apps", List.of("apps/*.img"), false, KeyType.ECDSA_P256);
    Path file = Files.writeString(tmp.resolve("app.img"), "app");
    repo.publisher.addTarget("apps", file, "apps/camera.img", UpdateFields.release("2.0"));
    repo.publisher.addTarget("apps", file, "other/camera.img", UpdateFields.release("2.0"));
    repo.publish();
    TufClient client = client();
    client.refresh();
    assertEquals("2.0", client.target("apps/camera.img").orElseThrow().releaseVersion().orElseThrow());
    assertTrue(client.target("other/camera.img").isEmpty(), "outside the delegated paths");
    assertTrue(client.target("apps/sub/camera.img").isEmpty());
    assertEquals(List.of("apps/camera.img", "rootfs-1.0.img"),
        client.targets().stream().map(TargetDescription::name).toList());
    Path out = tmp.resolve("camera.img");
    client.download(client.target("apps/camera.img").orElseThrow(), out);
    assertEquals("app", Files.readString(out));
    assertTrue(Files.exists(state.resolve("apps.json")));
  }

  @Test
  @DisplayName("test_graph_traversal (terminating delegation)")
  void delegation_terminating_stopsTheSearch() throws IOException {
    repo.publisher.delegate("first", List.of("fw/*"), true, KeyType.ED25519);
    repo.publisher.delegate("second", List.of("fw/*"), false, KeyType.ED25519);
    Path file = Files.writeString(tmp.resolve("fw.bin"), "fw");
    repo.publisher.addTarget("second", file, "fw/modem.bin", UpdateFields.release("1"));
    repo.publish();
    TufClient client = client();
    client.refresh();
    assertTrue(client.target("fw/modem.bin").isEmpty(), "first is terminating and lacks the target");
  }

  @Test
  @DisplayName("test_graph_traversal (non-terminating delegation)")
  void delegation_nonTerminating_continuesToTheNextRole() throws IOException {
    repo.publisher.delegate("first", List.of("fw/*"), false, KeyType.ED25519);
    repo.publisher.delegate("second", List.of("fw/*"), false, KeyType.ED25519);
    Path file = Files.writeString(tmp.resolve("fw.bin"), "fw");
    repo.publisher.addTarget("second", file, "fw/modem.bin", UpdateFields.release("1"));
    repo.publish();
    TufClient client = client();
    client.refresh();
    assertTrue(client.target("fw/modem.bin").isPresent());
  }

  @Test
  @DisplayName("test_delegation_not_in_snapshot")
  void delegation_roleMissingFromSnapshot_refused() {
    repo.publisher.delegate("apps", List.of("apps/*"), false, KeyType.ED25519);
    repo.publish();
    String snapshotFile = repo.signed("snapshot.json").get("version").asLong() + ".snapshot.json";
    ObjectNode body = repo.signed(snapshotFile);
    ((ObjectNode) body.get("meta")).remove("apps.json");
    repo.write(snapshotFile, TestRepo.sign(body, repo.keys("snapshot")));
    repo.write("snapshot.json", repo.read(snapshotFile));
    repo.relinkTimestamp();
    TufClient client = client();
    client.refresh();
    RepositoryRefusedException e = assertThrows(RepositoryRefusedException.class,
        () -> client.target("apps/x"));
    assertEquals(Refusal.MIX_AND_MATCH, e.refusal());
  }
}
