package org.edgesdk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private final Module module = ModuleDescriptorTest.class.getModule();

  @Test
  void module_onModulePath_isExplicitAndNamed() {
    assertTrue(module.isNamed(), "tests must run on the module path");
    assertEquals("org.edgesdk.store", module.getDescriptor().name());
    assertFalse(module.getDescriptor().isAutomatic());
  }

  @Test
  void exports_onlyTheApiPackage_notInternal() {
    assertEquals(java.util.Set.of("org.edgesdk.store", "org.edgesdk.store.forward"),
        module.getDescriptor().exports().stream()
            .map(java.lang.module.ModuleDescriptor.Exports::source)
            .collect(java.util.stream.Collectors.toSet()));
  }
}
