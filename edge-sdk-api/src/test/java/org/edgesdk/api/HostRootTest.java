package org.edgesdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostRootTest {

  @Test
  void resolve_absoluteSystemPath_staysBelowRoot() {
    HostRoot root = HostRoot.of(Path.of("/tmp/fixture"));
    assertEquals(Path.of("/tmp/fixture/sys/class/thermal"), root.resolve("/sys/class/thermal"));
    assertEquals(Path.of("/tmp/fixture/proc/self/cgroup"), root.resolve("proc/self/cgroup"));
  }

  @Test
  void resolve_dotDotEscape_throwsWithFix() {
    HostRoot root = HostRoot.of(Path.of("/tmp/fixture"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> root.resolve("/sys/../../etc/shadow"));
    assertTrue(e.getMessage().contains("escapes"), e.getMessage());
  }

  @Test
  void system_isSlash() {
    assertTrue(HostRoot.system().isSystem());
    assertEquals(Path.of("/sys"), HostRoot.system().sys());
    assertEquals(Path.of("/etc/os-release"), HostRoot.system().resolve("/etc/os-release"));
    assertFalse(HostRoot.of(Path.of("/tmp")).isSystem());
  }

  @Test
  void of_relativePath_isMadeAbsolute() {
    HostRoot root = HostRoot.of(Path.of("fixtures/../rpi4"));
    assertTrue(root.path().isAbsolute());
    assertEquals(Path.of("rpi4").toAbsolutePath(), root.path());
    assertEquals(root.path().resolve("dev"), root.dev());
    assertEquals(root.path().resolve("run"), root.run());
    assertEquals(root.path().resolve("etc"), root.etc());
    assertEquals(root.path().resolve("proc"), root.proc());
  }
}
