package org.edgesdk.linux.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build lines and configs as the named distributions ship them (uname -v, /boot/config-*). */
class KernelPreemptionTest {

  @TempDir Path dir;

  private HostRoot root() {
    return HostRoot.of(dir);
  }

  private void write(String systemPath, String content) throws IOException {
    Path file = root().resolve(systemPath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private void writeGzip(String systemPath, String content) throws IOException {
    Path file = root().resolve(systemPath);
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void read_debianGenericKernel_dynamicWithConfigDefaultVoluntary() throws IOException {
    // Debian 12 linux-image-amd64: PREEMPT_DYNAMIC built, voluntary by default.
    write("/proc/version", "Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org) #1 SMP"
        + " PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)\n");
    write("/proc/sys/kernel/osrelease", "6.1.0-27-amd64\n");
    write("/boot/config-6.1.0-27-amd64", "CONFIG_PREEMPT_VOLUNTARY=y\n# CONFIG_PREEMPT is not set\n"
        + "CONFIG_PREEMPT_DYNAMIC=y\n");
    write("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-27-amd64 root=UUID=1 ro quiet\n");

    KernelPreemption p = KernelPreemption.read(root());

    assertEquals(PreemptionModel.PREEMPT_DYNAMIC, p.model());
    assertEquals(Optional.of("voluntary"), p.dynamicMode());
    assertTrue(p.evidence().contains(
        new Evidence("CONFIG_PREEMPT_DYNAMIC in /boot/config-6.1.0-27-amd64", "y")), p.evidence().toString());
  }

  @Test
  void read_dynamicKernel_bootParameterOverridesConfigDefault() throws IOException {
    write("/proc/version", "Linux version 6.8.0-48-generic #48-Ubuntu SMP PREEMPT_DYNAMIC\n");
    write("/proc/sys/kernel/osrelease", "6.8.0-48-generic\n");
    write("/boot/config-6.8.0-48-generic", "CONFIG_PREEMPT_VOLUNTARY=y\nCONFIG_PREEMPT_DYNAMIC=y\n");
    write("/proc/cmdline", "root=/dev/sda1 ro preempt=full quiet\n");

    KernelPreemption p = KernelPreemption.read(root());

    assertEquals(Optional.of("full"), p.dynamicMode());
    assertTrue(p.evidence().contains(new Evidence("preempt= in /proc/cmdline", "full")));
  }

  @Test
  void read_dynamicKernel_debugfsLiveModeWins() throws IOException {
    write("/proc/version", "Linux version 6.8.0 #1 SMP PREEMPT_DYNAMIC\n");
    write("/proc/cmdline", "preempt=voluntary\n");
    write("/sys/kernel/debug/sched/preempt", "none voluntary (full) lazy\n");

    KernelPreemption p = KernelPreemption.read(root());

    assertEquals(PreemptionModel.PREEMPT_DYNAMIC, p.model());
    assertEquals(Optional.of("full"), p.dynamicMode());
  }

  @Test
  void read_mainlineRt_withoutSysKernelRealtime_isRt() throws IOException {
    // Mainline PREEMPT_RT (6.12+) has no /sys/kernel/realtime; the build line says PREEMPT_RT.
    write("/proc/version", "Linux version 6.12.0-rt #1 SMP PREEMPT_RT Thu Nov 21 2024\n");
    KernelPreemption p = KernelPreemption.read(root());
    assertEquals(PreemptionModel.PREEMPT_RT, p.model());
    assertEquals(Optional.empty(), p.dynamicMode());
  }

  @Test
  void read_outOfTreeRtPatch_sysKernelRealtime_isRt() throws IOException {
    write("/sys/kernel/realtime", "1\n");
    write("/proc/version", "Linux version 5.10.120-rt70 #1 SMP PREEMPT RT\n");
    KernelPreemption p = KernelPreemption.read(root());
    assertEquals(PreemptionModel.PREEMPT_RT, p.model());
    assertEquals(new Evidence("/sys/kernel/realtime", "1"), p.evidence().get(0));
  }

  @Test
  void read_raspberryPiKernel_buildLinePreempt_isPreempt() throws IOException {
    write("/proc/version", "Linux version 6.6.51+rpt-rpi-v8 (serge@raspberrypi.com) #1 SMP PREEMPT"
        + " Debian 1:6.6.51-1+rpt3 (2024-10-08)\n");
    assertEquals(PreemptionModel.PREEMPT, KernelPreemption.read(root()).model());
  }

  @Test
  void read_buildLineWithoutPreemptAndNoConfig_isUnknown() throws IOException {
    write("/proc/version", "Linux version 5.15.0-1034-raspi #37-Ubuntu SMP Mon Jul 10 2023\n");
    KernelPreemption p = KernelPreemption.read(root());
    assertEquals(PreemptionModel.UNKNOWN, p.model());
    assertEquals(1, p.evidence().size());
  }

  @Test
  void read_procConfigGz_noneKernel_isNone() throws IOException {
    write("/proc/version", "Linux version 5.15.0 #1 SMP\n");
    writeGzip("/proc/config.gz", "CONFIG_PREEMPT_NONE=y\n# CONFIG_PREEMPT_VOLUNTARY is not set\n");
    KernelPreemption p = KernelPreemption.read(root());
    assertEquals(PreemptionModel.NONE, p.model());
    assertTrue(p.evidence().contains(new Evidence("CONFIG_PREEMPT_NONE in /proc/config.gz", "y")));
  }

  @Test
  void read_corruptConfigGz_isCorruptDataNamingTheFile() throws IOException {
    write("/proc/config.gz", "not gzip");
    EdgeException e = assertThrows(EdgeException.class, () -> KernelPreemption.read(root()));
    assertEquals(ErrorCode.CORRUPT_DATA, e.code());
    assertTrue(e.problem().contains("config.gz"), e.problem());
  }

  @Test
  void read_emptyRoot_isUnknownWithoutEvidence() {
    KernelPreemption p = KernelPreemption.read(root());
    assertEquals(PreemptionModel.UNKNOWN, p.model());
    assertTrue(p.evidence().isEmpty());
  }

  @Test
  void read_liveSystem_agreesWithTheBuildLine() throws IOException {
    String build = Files.readString(Path.of("/proc/version"));
    KernelPreemption p = KernelPreemption.read(HostRoot.system());
    if (build.contains("PREEMPT_RT")) {
      assertEquals(PreemptionModel.PREEMPT_RT, p.model());
    } else if (build.contains("PREEMPT_DYNAMIC")) {
      assertEquals(PreemptionModel.PREEMPT_DYNAMIC, p.model());
    } else {
      assertTrue(p.model() != PreemptionModel.PREEMPT_RT && p.model() != PreemptionModel.PREEMPT_DYNAMIC);
    }
  }

  @Test
  void parse_configText_valuesQuotesAndUnsetLines() {
    KernelConfig c = KernelConfig.parse("test", "CONFIG_HZ=250\nCONFIG_LOCALVERSION=\"-rt\"\n"
        + "# CONFIG_PREEMPT is not set\nCONFIG_RT_GROUP_SCHED=y\ngarbage\n=x\n");
    assertEquals(Optional.of("250"), c.get("CONFIG_HZ"));
    assertEquals(Optional.of("-rt"), c.get("CONFIG_LOCALVERSION"));
    assertEquals(Optional.empty(), c.get("CONFIG_PREEMPT"));
    assertTrue(c.isEnabled("CONFIG_RT_GROUP_SCHED"));
    assertEquals("test", c.source());
  }
}
