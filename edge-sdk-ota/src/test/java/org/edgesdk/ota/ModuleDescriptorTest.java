package org.edgesdk.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
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
  void exports_clientAndPublisherApi_unqualified_internalHidden() {
    Set<String> exports =
        module.getDescriptor().exports().stream()
            .peek(e -> assertFalse(e.isQualified(), "unexpected qualified export " + e))
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet());
    assertEquals(Set.of("org.edgesdk.ota.tuf", "org.edgesdk.ota.repo", "org.edgesdk.ota.boot", "org.edgesdk.ota.boot.spi", "org.edgesdk.ota.ab"), exports);
  }
}
