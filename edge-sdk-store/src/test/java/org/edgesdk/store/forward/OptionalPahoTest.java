package org.edgesdk.store.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Eclipse Paho is optional: only the MQTT transport touches it, and the rest runs without it. */
class OptionalPahoTest {

  @Test
  void moduleDescriptor_requiresPahoStatic_andProvidesBothTransports() {
    ModuleDescriptor d = Forwarder.class.getModule().getDescriptor();
    ModuleDescriptor.Requires paho = d.requires().stream()
        .filter(r -> r.name().equals("org.eclipse.paho.client.mqttv3")).findFirst().orElseThrow();
    assertTrue(paho.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
    assertTrue(d.uses().contains("org.edgesdk.api.store.spi.TransportProvider"));
    assertEquals(Set.of("org.edgesdk.store.forward.internal.HttpTransportProvider",
        "org.edgesdk.store.forward.internal.MqttTransportProvider"),
        d.provides().stream().flatMap(p -> p.providers().stream()).collect(Collectors.toSet()));
  }

  @Test
  void classes_outsidePahoTransport_neverReferencePaho() throws IOException {
    Set<String> touching = new TreeSet<>();
    ModuleReference ref = Forwarder.class.getModule().getLayer().configuration()
        .findModule("org.edgesdk.store").orElseThrow().reference();
    byte[] needle = "org/eclipse/paho".getBytes(StandardCharsets.UTF_8);
    try (ModuleReader reader = ref.open()) {
      for (String name : reader.list().filter(n -> n.endsWith(".class")).toList()) {
        try (InputStream in = reader.open(name).orElseThrow()) {
          if (contains(in.readAllBytes(), needle)) {
            touching.add(name);
          }
        }
      }
    }
    touching.removeIf(n -> n.contains("/test/") || n.endsWith("Test.class") || n.contains("Test$")
        || n.equals("module-info.class"));
    // PahoTransport and its nested classes (its publish listener)
    touching.removeIf(n -> n.startsWith("org/edgesdk/store/forward/internal/PahoTransport$"));
    assertEquals(Set.of("org/edgesdk/store/forward/internal/PahoTransport.class"), touching);
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void forwarderAndHttp_onModulePathWithoutPaho_work() throws Exception {
    List<String> modulePath = new ArrayList<>();
    Path base = Path.of(System.getProperty("basedir", "."));
    modulePath.add(base.resolve("target/classes").toString());
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      for (String e : System.getProperty(property, "").split(File.pathSeparator)) {
        boolean sdkOrRuntime = e.contains("edge-sdk-api") || e.contains("slf4j-api") || e.contains("h2-mvstore")
            || e.contains("jspecify");
        if (!e.isBlank() && sdkOrRuntime && !e.contains("paho") && !modulePath.contains(e)) {
          modulePath.add(e);
        }
      }
    }
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xmx64m",
        "--module-path", String.join(File.pathSeparator, modulePath),
        "--add-modules", "org.edgesdk.store",
        "--add-reads", "org.edgesdk.store=ALL-UNNAMED",
        "--patch-module", "org.edgesdk.store=" + base.resolve("target/test-classes"),
        "-m", "org.edgesdk.store/org.edgesdk.store.forward.NoPahoChild");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out + "\nmodule path: " + modulePath);
    assertTrue(out.contains("OK"), out);
    assertTrue(!String.join(" ", cmd).contains("paho"));
  }
}
