package org.edgesdk.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.edgesdk.examples.telemetry.TelemetryAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parses each deployment file of the telemetry agent and checks the settings it must carry. */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy"); // surefire runs in the module directory
  private static final String MAIN = TelemetryAgent.class.getName();

  static {
    // The YAML parser is a test-only module; the module under test does not require it, so read it here.
    ModuleLayer.boot().findModule("com.fasterxml.jackson.dataformat.yaml")
        .ifPresent(DeployFilesTest.class.getModule()::addReads);
  }

  @Test
  void containerfile_runsTheAgentAsNonRootWithAQueueVolume() throws IOException {
    Map<String, List<String>> ins = new LinkedHashMap<>();
    String joined = Files.readString(DEPLOY.resolve("Containerfile")).replaceAll("\\\\\n", " ");
    for (String line : joined.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
      String[] parts = line.split("\\s+", 2);
      ins.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts.length > 1 ? parts[1] : "");
    }
    assertTrue(ins.get("FROM").get(0).startsWith("docker.io/library/eclipse-temurin:17"), ins.toString());
    assertEquals(List.of("/var/lib/edge-agent"), ins.get("VOLUME"));
    assertEquals(List.of("10001:10001"), ins.get("USER"));
    assertEquals(List.of("SIGTERM"), ins.get("STOPSIGNAL"));
    assertEquals(List.of("8080"), ins.get("EXPOSE"));
    assertTrue(ins.get("COPY").get(0).startsWith("edge-sdk-examples/target/edgectl.jar "), ins.toString());
    List<String> entry = jsonArray(ins.get("ENTRYPOINT").get(0));
    assertEquals(MAIN, entry.get(entry.size() - 1));
    assertTrue(entry.contains("-Xmx32m"), entry.toString());
    String env = String.join(" ", ins.get("ENV"));
    assertTrue(env.contains("EDGE_AGENT_QUEUE_DIR=/var/lib/edge-agent/queue"), env);
    assertTrue(env.contains("EDGE_AGENT_HEALTH_PORT=8080"), env);
  }

  @Test
  void k3sDeployment_hasRtCapabilitiesQueueVolumeAndLivenessProbe() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    try (var parser = yaml.getFactory().createParser(DEPLOY.resolve("k3s/telemetry-agent.yaml").toFile())) {
      for (var it = yaml.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode d = it.next();
        docs.put(d.path("kind").asText(), d);
      }
    }
    assertEquals(Set.of("PersistentVolumeClaim", "Deployment"), docs.keySet());
    JsonNode pvc = docs.get("PersistentVolumeClaim");
    JsonNode spec = docs.get("Deployment").path("spec");
    assertEquals(1, spec.path("replicas").asInt());
    assertEquals("Recreate", spec.path("strategy").path("type").asText(), "one writer on the queue volume");
    JsonNode pod = spec.path("template").path("spec");
    JsonNode c = pod.path("containers").get(0);
    assertEquals(Set.of("SYS_NICE", "IPC_LOCK"), texts(c.path("securityContext").path("capabilities").path("add")));
    assertEquals(Set.of("ALL"), texts(c.path("securityContext").path("capabilities").path("drop")));
    assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());

    JsonNode queueVolume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
        .filter(v -> v.has("persistentVolumeClaim")).findFirst().orElseThrow();
    assertEquals(pvc.path("metadata").path("name").asText(),
        queueVolume.path("persistentVolumeClaim").path("claimName").asText());
    JsonNode mount = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
        .filter(m -> m.path("name").asText().equals(queueVolume.path("name").asText())).findFirst().orElseThrow();
    Map<String, String> env = StreamSupport.stream(c.path("env").spliterator(), false)
        .collect(Collectors.toMap(e -> e.path("name").asText(), e -> e.path("value").asText()));
    assertTrue(env.get("EDGE_AGENT_QUEUE_DIR").startsWith(mount.path("mountPath").asText() + "/"), env.toString());

    JsonNode liveness = c.path("livenessProbe").path("httpGet");
    assertEquals("/healthz", liveness.path("path").asText());
    int port = StreamSupport.stream(c.path("ports").spliterator(), false)
        .filter(p -> p.path("name").asText().equals(liveness.path("port").asText()))
        .findFirst().orElseThrow().path("containerPort").asInt();
    assertEquals(env.get("EDGE_AGENT_HEALTH_PORT"), Integer.toString(port));
    assertTrue(c.path("resources").path("limits").has("memory"));
  }

  @Test
  void quadletUnit_carriesCapabilitiesRtLimitsVolumeAndRestart() throws IOException {
    Map<String, Map<String, List<String>>> unit = parseUnit(DEPLOY.resolve("quadlet/edge-telemetry-agent.container"));
    Map<String, List<String>> container = unit.get("Container");
    assertEquals(List.of("localhost/edge-telemetry-agent:0.1.0"), container.get("Image"));
    assertEquals(Set.of("CAP_SYS_NICE", "CAP_IPC_LOCK"), words(container.get("AddCapability")));
    assertTrue(container.get("Ulimit").containsAll(List.of("rtprio=80:80", "memlock=-1:-1")), container.toString());
    assertTrue(container.get("Volume").get(0).startsWith("edge-agent-queue:/var/lib/edge-agent"), container.toString());
    assertTrue(container.get("Environment").contains("EDGE_AGENT_HEALTH_PORT=8080"), container.toString());
    assertTrue(container.containsKey("HealthCmd"), container.toString());
    assertEquals(List.of("on-failure"), unit.get("Service").get("Restart"));
    assertTrue(unit.get("Install").get("WantedBy").get(0).contains("multi-user.target"));
  }

  @Test
  void systemdService_carriesRtLimitsCapabilitiesStateDirectoryAndRestart() throws IOException {
    Map<String, List<String>> s = parseUnit(DEPLOY.resolve("systemd/edge-telemetry-agent.service")).get("Service");
    assertEquals(List.of("80"), s.get("LimitRTPRIO"));
    assertEquals(List.of("infinity"), s.get("LimitMEMLOCK"));
    assertEquals(Set.of("CAP_SYS_NICE", "CAP_IPC_LOCK"), words(s.get("AmbientCapabilities")));
    assertEquals(List.of("edge-agent"), s.get("StateDirectory"));
    assertTrue(s.get("Environment").contains("EDGE_AGENT_QUEUE_DIR=%S/edge-agent/queue"), "queue in the state dir");
    assertEquals(List.of("on-failure"), s.get("Restart"));
    assertEquals(List.of("143"), s.get("SuccessExitStatus"), "a JVM stopped by SIGTERM exits 143");
    List<String> exec = List.of(s.get("ExecStart").get(0).split("\\s+"));
    assertEquals(MAIN, exec.get(exec.size() - 1));
    assertTrue(exec.contains("-Xmx32m"), exec.toString());
  }

  @Test
  void systemdService_passesSystemdAnalyzeVerify(@TempDir Path tmp) throws Exception {
    Path tool = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(tool), "systemd-analyze is not installed (Debian package systemd)");
    Path unit = Files.copy(DEPLOY.resolve("systemd/edge-telemetry-agent.service"),
        tmp.resolve("edge-telemetry-agent.service"));
    Process p = new ProcessBuilder(tool.toString(), "verify", "--man=no", unit.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    // Only what concerns this unit: a machine without a booted systemd also prints warnings about others.
    List<String> ours = output.lines().filter(l -> l.contains("edge-telemetry-agent")).toList();
    assertEquals(List.of(), ours, output);
  }

  /** systemd's unit file syntax: sections, {@code Key=Value} lines, repeated keys kept in order. */
  private static Map<String, Map<String, List<String>>> parseUnit(Path file) throws IOException {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      assertTrue(current != null && eq > 0, file + ": not a Key=Value line in a section: " + raw);
      current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
    }
    return sections;
  }

  private static Set<String> words(List<String> values) {
    return values.stream().flatMap(v -> List.of(v.split("\\s+")).stream()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> jsonArray(String json) throws IOException {
    List<String> out = new ArrayList<>();
    ((ArrayNode) new ObjectMapper().readTree(json)).forEach(n -> out.add(n.asText()));
    return out;
  }
}
