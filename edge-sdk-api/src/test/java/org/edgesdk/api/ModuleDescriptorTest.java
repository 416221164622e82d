package org.edgesdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private static final ModuleDescriptor DESCRIPTOR = EdgeException.class.getModule().getDescriptor();

  @Test
  void module_onModulePath_isExplicitAndNamed() {
    assertTrue(EdgeException.class.getModule().isNamed(), "tests must run on the module path");
    assertEquals("org.edgesdk.api", DESCRIPTOR.name());
    assertFalse(DESCRIPTOR.isAutomatic());
  }

  @Test
  void exports_listExactlyTheApiPackages_unqualified() {
    Set<String> exports =
        DESCRIPTOR.exports().stream()
            .peek(e -> assertFalse(e.isQualified(), "unexpected qualified export " + e))
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet());
    assertEquals(Set.of("org.edgesdk.api", "org.edgesdk.api.ota", "org.edgesdk.api.store", "org.edgesdk.api.store.spi"),
        exports);
  }

  @Test
  void requires_onlyTheJdkAndStaticJspecify() {
    Set<String> requires =
        DESCRIPTOR.requires().stream()
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());
    assertEquals(Set.of("java.base", "org.jspecify"), requires,
        "the API must not depend on JNA, MVStore or BouncyCastle");
  }
}
