package org.edgesdk.linux.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.edgesdk.linux.posture.internal.CgroupReader;
import org.edgesdk.linux.posture.internal.CgroupV1;
import org.edgesdk.linux.posture.internal.MountTable;
import org.junit.jupiter.api.Test;

/** The pure parsers behind the reader, on text as the kernel and the distributions write it. */
class PostureParsersTest {

  @Test
  void mountTable_escapedSpaceInMountPoint_unescaped() {
    MountTable t = MountTable.parse(
        "36 35 98:0 /mnt\\040data /media/usb\\040stick rw,noatime master:1 - ext3 /dev/sdb\\0401 rw,errors=continue\n");
    MountTable.Mount m = t.mounts().get(0);
    assertEquals("/mnt data", m.root());
    assertEquals("/media/usb stick", m.mountPoint());
    assertEquals("/dev/sdb 1", m.source());
    assertEquals("ext3", m.fsType());
    assertEquals(Optional.of(m), t.at("/media/usb stick"));
  }

  @Test
  void mountTable_otherEscapesAndNoOptionalFields() {
    assertEquals("a\tb\nc\\d", MountTable.unescape("a\\011b\\012c\\134d"));
    assertEquals("\\9x", MountTable.unescape("\\9x"));
    MountTable t = MountTable.parse("25 1 7:1 / / ro,relatime - squashfs /dev/loop1 ro\n");
    assertTrue(t.at("/").orElseThrow().readOnly());
  }

  @Test
  void mountTable_laterMountOnSamePointWins_superblockRoCounts() {
    MountTable t = MountTable.parse(
        "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
        + "2 1 0:40 / / rw - overlay overlay ro,lowerdir=/a\n"
        + "garbage line\n");
    MountTable.Mount root = t.at("/").orElseThrow();
    assertEquals("overlay", root.fsType());
    assertTrue(root.readOnly(), "ro in the superblock options makes the mount read-only");
    assertEquals(List.of("garbage line"), t.malformed());
  }

  @Test
  void mountTable_erofsRoot_typeKept() {
    MountTable t = MountTable.parse("20 1 254:1 / / ro,nodev shared:1 - erofs /dev/dm-1 ro,user_xattr,acl\n");
    assertEquals("erofs", t.at("/").orElseThrow().fsType());
  }

  @Test
  void parseCpuMax_quotaPeriodBurstAndMax() {
    assertEquals(Optional.of(2.0), CgroupReader.parseCpuMax("200000 100000"));
    assertEquals(Optional.of(0.5), CgroupReader.parseCpuMax("50000 100000 0"));
    assertEquals(Optional.empty(), CgroupReader.parseCpuMax("max 100000"));
    assertThrows(IllegalArgumentException.class, () -> CgroupReader.parseCpuMax("max"));
    assertThrows(IllegalArgumentException.class, () -> CgroupReader.parseCpuMax("1 2 3 4"));
    assertThrows(IllegalArgumentException.class, () -> CgroupReader.parseCpuMax("-5 100000"));
  }

  @Test
  void parseMaxOrNumber_maxNumberAndGarbage() {
    assertEquals(Optional.empty(), CgroupReader.parseMaxOrNumber("max"));
    assertEquals(Optional.of(268435456L), CgroupReader.parseMaxOrNumber("268435456"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CgroupReader.parseMaxOrNumber("1G"));
    assertTrue(e.getMessage().contains("'1G'"));
  }

  @Test
  void parseCfsQuota_minusOneIsNoLimitOtherNegativesAndZeroRejected() {
    assertEquals(Optional.empty(), CgroupV1.parseCfsQuota("-1"));
    assertEquals(Optional.of(150000L), CgroupV1.parseCfsQuota("150000"));
    for (String bad : new String[] {"-2", "0", "", "1.5", "max", "99999999999999999999"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CgroupV1.parseCfsQuota(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    assertEquals(100000L, CgroupV1.parseCfsPeriod("100000"));
    assertThrows(IllegalArgumentException.class, () -> CgroupV1.parseCfsPeriod("-1"));
  }

  @Test
  void parseMemoryLimit_kernelUnlimitedBoundIsNoLimit() {
    assertEquals(Optional.of(268435456L), CgroupV1.parseMemoryLimit("268435456"));
    assertEquals(Optional.empty(), CgroupV1.parseMemoryLimit("9223372036854771712"));
    assertEquals(Optional.empty(), CgroupV1.parseMemoryLimit(Long.toString(CgroupV1.MEMORY_UNLIMITED_BOUND)));
    assertEquals(Optional.of(CgroupV1.MEMORY_UNLIMITED_BOUND - 1),
        CgroupV1.parseMemoryLimit(Long.toString(CgroupV1.MEMORY_UNLIMITED_BOUND - 1)));
    assertThrows(IllegalArgumentException.class, () -> CgroupV1.parseMemoryLimit("-1"));
    assertThrows(IllegalArgumentException.class, () -> CgroupV1.parseMemoryLimit("9223372036854775808"));
  }

  @Test
  void pathOf_controllerListsMatchWholeNamesOnly() {
    String text = "6:cpuacct:/a\n5:cpu,cpuset:/b\n4:memory:/docker/abc\n1:name=systemd:/c\n0::/d\n";
    assertEquals(Optional.of("/b"), CgroupV1.pathOf(text, "cpu"));
    assertEquals(Optional.of("/b"), CgroupV1.pathOf(text, "cpuset"));
    assertEquals(Optional.of("/a"), CgroupV1.pathOf(text, "cpuacct"));
    assertEquals(Optional.of("/docker/abc"), CgroupV1.pathOf(text, "memory"));
    assertEquals(Optional.empty(), CgroupV1.pathOf(text, "pids"));
    assertEquals(Optional.empty(), CgroupV1.pathOf(text, "systemd"));
    assertEquals(Optional.of("/a:b"), CgroupV1.pathOf("7:pids:/a:b\n", "pids"));
  }

  @Test
  void unifiedPath_v2LineAmongV1Lines() {
    assertEquals(Optional.of("/"), CgroupReader.unifiedPath("4:memory:/x\n0::/\n"));
    assertEquals(Optional.of("/a:b"), CgroupReader.unifiedPath("0::/a:b\n"));
    assertEquals(Optional.empty(), CgroupReader.unifiedPath("4:memory:/docker/abc\n"));
  }

  @Test
  void osRelease_quotesEscapesAndComments() {
    Map<String, String> vars = OsIdentity.parseVariables(
        "# comment\nNAME=\"Fedora Linux\"\nVARIANT_ID=iot\nPRETTY_NAME='It''s'\n"
            + "BUG=\"a \\\"quoted\\\" \\\\ word\"\nlower=x\n");
    assertEquals("Fedora Linux", vars.get("NAME"));
    assertEquals("iot", vars.get("VARIANT_ID"));
    assertEquals("a \"quoted\" \\ word", vars.get("BUG"));
    assertTrue(!vars.containsKey("lower"));
  }

  @Test
  void osIdentity_recognisesTheFamilies() {
    assertEquals(Distribution.FEDORA_IOT,
        OsIdentity.of(Map.of("ID", "fedora", "VARIANT_ID", "iot"), true).distribution());
    assertEquals(Distribution.FEDORA,
        OsIdentity.of(Map.of("ID", "fedora", "VARIANT_ID", "iot"), false).distribution());
    assertEquals(Distribution.RHEL_FOR_EDGE, OsIdentity.of(Map.of("ID", "rhel"), true).distribution());
    assertEquals(Distribution.RHEL, OsIdentity.of(Map.of("ID", "rhel"), false).distribution());
    assertEquals(Distribution.RHEL_FOR_EDGE,
        OsIdentity.of(Map.of("ID", "centos", "ID_LIKE", "rhel fedora"), true).distribution());
    assertEquals(Distribution.OSTREE,
        OsIdentity.of(Map.of("ID", "fedora", "VARIANT_ID", "coreos"), true).distribution());
    assertEquals(Distribution.UBUNTU_CORE, OsIdentity.of(Map.of("ID", "ubuntu-core"), false).distribution());
    assertEquals(Distribution.UBUNTU,
        OsIdentity.of(Map.of("ID", "ubuntu", "ID_LIKE", "debian"), false).distribution());
    assertEquals(Distribution.DEBIAN,
        OsIdentity.of(Map.of("ID", "raspbian", "ID_LIKE", "debian"), false).distribution());
    assertEquals(Distribution.YOCTO, OsIdentity.of(Map.of("ID", "poky"), false).distribution());
    assertEquals(Distribution.YOCTO,
        OsIdentity.of(Map.of("ID", "acme-os", "ID_LIKE", "poky"), false).distribution());
    assertEquals(Distribution.ALPINE, OsIdentity.of(Map.of("ID", "alpine"), false).distribution());
    assertEquals(Distribution.OTHER, OsIdentity.of(Map.of("ID", "arch"), false).distribution());
  }

  @Test
  void secureBootFromEfivar_fiveBytes() {
    assertEquals(SecureBootState.ENABLED, SecureBoot.fromEfivar(new byte[] {6, 0, 0, 0, 1}).state());
    assertEquals(SecureBootState.DISABLED, SecureBoot.fromEfivar(new byte[] {6, 0, 0, 0, 0}).state());
    assertTrue(SecureBoot.fromEfivar(new byte[0]).detail().contains("truncated: 0 bytes"));
  }

  @Test
  void processEnvironment_nulSeparated() {
    assertEquals(Map.of("A", "1", "B", "x=y"), ProcessEnvironment.parse("A=1\0B=x=y\0junk\0\0"));
  }
}
