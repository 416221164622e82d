package org.edgesdk.ota.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.edgesdk.ota.repo.RepositoryPublisher;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.internal.CanonicalJson;
import org.edgesdk.ota.tuf.internal.Crypto;
import org.edgesdk.ota.tuf.internal.Json;
import org.edgesdk.ota.tuf.internal.SigningKey;

/**
 * A repository built in a test with the publisher API, plus what an attacker (or a broken mirror)
 * does to its files: replace them, edit and re-sign them with the repository's own keys.
 */
final class TestRepo {
  static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

  final Path dir;
  final MutableClock clock = new MutableClock(START);
  final RepositoryPublisher publisher;

  TestRepo(Path dir) {
    this(dir, KeyType.ED25519);
  }

  TestRepo(Path dir, KeyType type) {
    this.dir = dir;
    this.publisher = RepositoryPublisher.init(dir, type, clock);
  }

  Path metadata(String name) {
    return publisher.repositoryDir().resolve("metadata").resolve(name);
  }

  void publish() {
    publisher.publish(Duration.ofDays(7));
  }

  Path addTarget(String name, String content, UpdateFields fields) {
    try {
      Path file = Files.createTempFile(dir, "target", ".img");
      Files.writeString(file, content);
      publisher.addTarget(file, name, fields);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] read(String name) {
    try {
      return Files.readAllBytes(metadata(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(String name, byte[] bytes) {
    try {
      Files.write(metadata(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ObjectNode signed(String name) {
    return (ObjectNode) Json.parse(read(name), name).get("signed").deepCopy();
  }

  JsonNode root() {
    return Json.parse(read("root.json"), "root.json").get("signed");
  }

  List<String> keyIds(String role) {
    List<String> ids = new ArrayList<>();
    root().get("roles").get(role).get("keyids").forEach(n -> ids.add(n.asText()));
    return ids;
  }

  SigningKey key(String keyId) {
    Path file = dir.resolve("keys").resolve(keyId + ".pem");
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      JsonNode keyNode = root().get("keys").get(keyId);
      KeyType type = keyNode == null
          ? KeyType.ED25519
          : KeyType.of(keyNode.get("keytype").asText(), keyNode.get("scheme").asText()).orElseThrow();
      return SigningKey.fromPem(pem, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<SigningKey> keys(String role) {
    return keyIds(role).stream().map(this::key).toList();
  }

  /** Signs a body with the given keys into a metadata document. */
  static byte[] sign(ObjectNode signed, List<SigningKey> keys) {
    ObjectNode doc = Json.object();
    ArrayNode sigs = doc.putArray("signatures");
    for (SigningKey k : keys) {
      sigs.addObject().put("keyid", k.keyId()).put("sig", HexFormat.of().formatHex(k.sign(CanonicalJson.encode(signed))));
    }
    doc.set("signed", signed);
    return Json.write(doc);
  }

  /** Edits the signed body of a top-level role's file and re-signs it with the role's keys. */
  void resign(String file, String role, Consumer<ObjectNode> edit) {
    ObjectNode body = signed(file);
    edit.accept(body);
    write(file, sign(body, keys(role)));
  }

  /** Rewrites timestamp.json so that it lists the current snapshot.json's length, hashes, version. */
  void relinkTimestamp() {
    byte[] snapshot = read("snapshot.json");
    long version = signed("snapshot.json").get("version").asLong();
    resign("timestamp.json", "timestamp", t -> {
      ObjectNode meta = (ObjectNode) t.get("meta").get("snapshot.json");
      meta.put("version", version);
      meta.put("length", snapshot.length);
      ((ObjectNode) meta.get("hashes")).put("sha256", Crypto.sha256Hex(snapshot));
      t.put("version", t.get("version").asLong() + 1);
    });
  }

  TufClient client(Path state) {
    return TufClient.builder()
        .transport(Transport.of(publisher.repositoryDir().toUri(), Timeouts.defaults()))
        .trustedRoot(read("1.root.json"))
        .stateDirectory(state)
        .clock(clock)
        .build();
  }

  /** The state directory's files and contents, to show a refused refresh changed nothing. */
  static Map<String, String> contents(Path state) {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(state)) {
      return files;
    }
    try (Stream<Path> list = Files.list(state)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
