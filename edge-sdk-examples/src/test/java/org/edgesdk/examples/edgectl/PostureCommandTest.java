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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostureCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private void write(String systemPath, String content) throws IOException {
    Path file = dir.resolve(systemPath.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** A K3s pod with a cgroup namespace, limits 1500m CPU and 256Mi, on an EFI host with Secure Boot off. */
  private void k3sPod() throws IOException {
    write("/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n");
    write("/proc/sys/kernel/osrelease", "6.8.0-1013-raspi\n");
    write("/proc/version", "Linux version 6.8.0-1013-raspi #14-Ubuntu SMP PREEMPT_DYNAMIC\n");
    write("/proc/self/mountinfo", "1 0 0:151 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u\n"
        + "2 1 0:30 / /sys/fs/cgroup ro - cgroup2 cgroup ro,nsdelegate\n"
        + "3 1 0:7 / /sys/kernel/security rw - securityfs securityfs rw\n");
    write("/proc/self/cgroup", "0::/\n");
    write("/proc/self/environ", "PATH=/bin\0KUBERNETES_SERVICE_HOST=10.43.0.1\0");
    write("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n");
    write("/sys/kernel/security/lsm", "lockdown,capability,landlock,yama,apparmor");
    write("/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
    write("/sys/module/apparmor/parameters/enabled", "Y\n");
    write("/proc/self/attr/current", "cri-containerd.apparmor.d (enforce)");
    write("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu memory pids\n");
    write("/sys/fs/cgroup/cgroup.events", "populated 1\nfrozen 0\n");
    write("/sys/fs/cgroup/cpu.max", "150000 100000\n");
    write("/sys/fs/cgroup/memory.max", "268435456\n");
    write("/sys/fs/cgroup/pids.max", "max\n");
    write("/sys/fs/cgroup/cpuset.cpus.effective", "0-3\n");
    write("/sys/class/tpm/tpm0/tpm_version_major", "2\n");
    Path efivar = dir.resolve("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c");
    Files.createDirectories(efivar.getParent());
    Files.write(efivar, HexFormat.of().parseHex("0600000000"));
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void posture_json_onK3sFixture_exactShapeAndValues() throws IOException {
    k3sPod();
    assertEquals(0, run("posture", "--root", dir.toString(), "--json"));
    assertEquals("", err.toString());

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(Set.of("os", "kernel", "rootfs", "mac", "secureBoot", "tpm", "fips", "container", "findings"),
        fields(json));
    assertEquals(Set.of("id", "versionId", "variantId", "name"), fields(json.get("os")));
    assertEquals(Set.of("release", "preemptModel"), fields(json.get("kernel")));
    assertEquals(Set.of("type", "readOnly"), fields(json.get("rootfs")));
    assertEquals(Set.of("selinux", "apparmor", "lsm", "lockdown"), fields(json.get("mac")));
    assertEquals(Set.of("present", "version"), fields(json.get("tpm")));
    assertEquals(Set.of("runtime", "cpuLimitCores", "memoryLimitBytes", "pidsLimit", "cpuset"),
        fields(json.get("container")));

    assertEquals("alpine", json.get("os").get("id").asText());
    assertEquals("3.20.3", json.get("os").get("versionId").asText());
    assertTrue(json.get("os").get("variantId").isNull());
    assertEquals("Alpine Linux", json.get("os").get("name").asText());
    assertEquals("6.8.0-1013-raspi", json.get("kernel").get("release").asText());
    assertEquals("PREEMPT_DYNAMIC", json.get("kernel").get("preemptModel").asText());
    assertEquals("overlay", json.get("rootfs").get("type").asText());
    assertFalse(json.get("rootfs").get("readOnly").asBoolean());
    assertTrue(json.get("rootfs").get("readOnly").isBoolean());
    assertEquals("disabled", json.get("mac").get("selinux").asText());
    assertTrue(json.get("mac").get("apparmor").asBoolean());
    assertEquals("apparmor", json.get("mac").get("lsm").get(4).asText());
    assertEquals("none", json.get("mac").get("lockdown").asText());
    assertEquals("disabled", json.get("secureBoot").asText());
    assertTrue(json.get("tpm").get("present").asBoolean());
    assertEquals(2, json.get("tpm").get("version").asInt());
    assertTrue(json.get("fips").isBoolean() && !json.get("fips").asBoolean(),
        "/proc/sys/kernel but no /proc/sys/crypto: a kernel without FIPS mode");

    JsonNode container = json.get("container");
    assertEquals("kubernetes", container.get("runtime").asText(), "KUBERNETES_SERVICE_HOST from the root's environ");
    assertEquals(1.5, container.get("cpuLimitCores").asDouble());
    assertEquals(268435456L, container.get("memoryLimitBytes").asLong());
    assertTrue(container.get("memoryLimitBytes").isIntegralNumber());
    assertTrue(container.get("pidsLimit").isNull());
    assertEquals(4, container.get("cpuset").size());

    List<String> ids = new ArrayList<>();
    for (JsonNode f : json.get("findings")) {
      assertEquals(Set.of("id", "status", "detail", "remedy"), fields(f));
      assertTrue(Set.of("pass", "warn", "fail", "unknown").contains(f.get("status").asText()), f.toString());
      ids.add(f.get("id").asText());
    }
    assertEquals(List.of("rootfs.read-only", "mac.enforcing", "secure-boot", "tpm", "kernel.lockdown",
        "container.memory-limit", "container.pids-limit", "container.privileged", "process.non-root"), ids);
    assertEquals("fail", json.get("findings").get(2).get("status").asText(), "Secure Boot disabled");
  }

  @Test
  void posture_rootWithoutEnviron_environmentEmpty_envOptionSetsIt() throws IOException {
    write("/proc/self/cgroup", "0::/\n");
    assertEquals(0, run("posture", "--root", dir.toString(), "--json"));
    JsonNode bare = new ObjectMapper().readTree(out.toString());
    assertEquals("none", bare.get("container").get("runtime").asText());
    assertTrue(bare.get("fips").isNull(), "no /proc/sys below this root: unknown");
    assertTrue(bare.get("rootfs").get("readOnly").isNull(), "no mountinfo: unknown");
    assertTrue(bare.get("container").get("memoryLimitBytes").isNull());

    out.getBuffer().setLength(0);
    assertEquals(0, run("posture", "--root", dir.toString(), "--json",
        "--env", "KUBERNETES_SERVICE_HOST=10.43.0.1"));
    assertEquals("kubernetes",
        new ObjectMapper().readTree(out.toString()).get("container").get("runtime").asText());
  }

  @Test
  void posture_envFromProcess_usesThisProcessEnvironmentWithRoot() throws IOException {
    write("/proc/self/environ", "KUBERNETES_SERVICE_HOST=10.43.0.1\0");
    assertEquals(0, run("posture", "--root", dir.toString(), "--json", "--env-from-process"));
    String expected = System.getenv("KUBERNETES_SERVICE_HOST") != null ? "kubernetes" : "none";
    assertEquals(expected,
        new ObjectMapper().readTree(out.toString()).get("container").get("runtime").asText(),
        "the root's environ is ignored when the process's environment is asked for");
  }

  @Test
  void posture_failOnFail_withFailingFinding_exitOneOneLineAndReportStillPrinted() throws IOException {
    k3sPod();
    assertEquals(1, run("posture", "--root", dir.toString(), "--fail-on", "fail"));
    String line = err.toString().strip();
    assertFalse(line.contains("\n"), line);
    assertTrue(line.startsWith("edgectl: error: posture check failed: 1 finding(s) at fail or worse"
        + " (secure-boot); fix:"), line);
    assertTrue(out.toString().contains("findings"), out.toString());
  }

  @Test
  void posture_failOnWarn_countsWarningsToo_failOnNeverIsDefault() throws IOException {
    k3sPod();
    assertEquals(1, run("posture", "--root", dir.toString(), "--json", "--fail-on", "warn"));
    assertTrue(err.toString().contains("rootfs.read-only"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(0, run("posture", "--root", dir.toString(), "--json"));
    assertEquals("", err.toString());
  }

  @Test
  void posture_usageErrors_exitTwo() throws IOException {
    assertEquals(2, run("posture", "--fail-on", "sometimes"));
    assertTrue(err.toString().contains("see 'edgectl posture --help'"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, run("posture", "--root", dir.toString(), "--env", "NOEQUALS"));
    assertTrue(err.toString().contains("--env NOEQUALS is not NAME=VALUE"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, run("posture", "--root", dir.resolve("missing").toString()));
    assertEquals(2, run("posture", "--bogus"));
    assertEquals("", out.toString());
  }

  @Test
  void posture_text_onEmptyRoot_everythingUnknownExitZero() {
    assertEquals(0, run("posture", "--root", dir.toString()));
    String text = out.toString();
    assertTrue(text.contains("os            unknown (/etc/os-release and /usr/lib/os-release are missing)"), text);
    assertTrue(text.contains("secure boot   unknown"), text);
    assertTrue(text.contains("UNKNOWN rootfs.read-only"), text);
  }

  @Test
  void posture_json_liveSystem_kernelReleaseIsTheJvms() throws IOException {
    assertEquals(0, run("posture", "--json"));
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(System.getProperty("os.version"), json.get("kernel").get("release").asText());
    assertTrue(json.get("findings").size() >= 6);
  }

  @Test
  void demo_onThisMachine_printsThePostureChapter() {
    assertEquals(0, run("demo"));
    String text = out.toString();
    assertTrue(text.contains("2. The device posture"), text);
    assertTrue(text.contains("rootfs.read-only"), text);
    assertTrue(text.contains("'edgectl posture' shows the evidence"), text);
  }
}
