package org.edgesdk.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void module_onModulePath_isExplicitAndNamed() {
    Module module = HostInfo.class.getModule();
    assertTrue(module.isNamed(), "tests must run on the module path");
    assertEquals("org.edgesdk.linux", module.getDescriptor().name());
    assertFalse(module.getDescriptor().isAutomatic());
  }

  @Test
  void exports_listExactlyTheApiPackages_internalHidden() {
    Map<String, String> exports =
        HostInfo.class.getModule().getDescriptor().exports().stream()
            .collect(Collectors.toMap(ModuleDescriptor.Exports::source, e -> e.targets().toString()));
    assertEquals(
        Map.of(
            "org.edgesdk.linux", "[]",
            "org.edgesdk.linux.cpufreq", "[]",
            "org.edgesdk.linux.fixture", "[]",
            "org.edgesdk.linux.kernel", "[]",
            "org.edgesdk.linux.posture", "[]",
            "org.edgesdk.linux.rt", "[]",
            "org.edgesdk.linux.thermal", "[]"),
        exports);
  }

  @Test
  void opens_jnaBindingsOnlyToJna() {
    Map<String, String> opens =
        HostInfo.class.getModule().getDescriptor().opens().stream()
            .collect(Collectors.toMap(ModuleDescriptor.Opens::source, o -> o.targets().toString()));
    assertEquals(Map.of("org.edgesdk.linux.rt.internal", "[com.sun.jna]"), opens);
  }
}
