package org.edgesdk.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private final Module module = ModuleDescriptorTest.class.getModule();

  @Test
  void module_onModulePath_isExplicitAndNamed() {
    assertTrue(module.isNamed(), "tests must run on the module path");
    assertEquals("org.edgesdk.examples", module.getDescriptor().name());
    assertFalse(module.getDescriptor().isAutomatic());
  }

  @Test
  void exports_onlyTheEdgectlEntryPoint() {
    Map<String, String> exports =
        module.getDescriptor().exports().stream()
            .collect(Collectors.toMap(ModuleDescriptor.Exports::source, e -> e.targets().toString()));
    assertEquals(Map.of("org.edgesdk.examples.edgectl", "[]"), exports);
  }

  @Test
  void examplePrograms_inTheModule_areNotExported() {
    // Example programs are run and copied from, not API (see the package-info of org.edgesdk.examples).
    for (String p : java.util.List.of("org.edgesdk.examples", "org.edgesdk.examples.telemetry",
        "org.edgesdk.examples.update", "org.edgesdk.examples.control", "org.edgesdk.examples.governor")) {
      assertTrue(module.getDescriptor().packages().contains(p), p);
      assertFalse(module.isExported(p), p);
    }
  }
}
