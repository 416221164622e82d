package org.edgesdk.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private final Module module = ModuleDescriptorTest.class.getModule();

  @Test
  void module_onModulePath_isExplicitAndNamed() {
    assertTrue(module.isNamed(), "tests must run on the module path");
    assertEquals("org.edgesdk.ota", module.getDescriptor().name());
    assertFalse(module.getDescriptor().isAutomatic());
  }

  @Test
  void exports_noneUntilTheFirstApiLands() {
    assertEquals(0, module.getDescriptor().exports().size(), module.getDescriptor().exports().toString());
  }
}
