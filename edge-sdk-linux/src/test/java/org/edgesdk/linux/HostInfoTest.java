package org.edgesdk.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgesdk.api.Availability;
import org.edgesdk.api.CpuSet;
import org.edgesdk.api.HostRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostInfoTest {

  @TempDir Path dir;

  private void write(String systemPath, String content) throws IOException {
    Path file = HostRoot.of(dir).resolve(systemPath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void read_raspberryPiFixture_returnsEveryFact() throws IOException {
    // Values as a Raspberry Pi 4 running Raspberry Pi OS (bookworm, 64-bit) prints them.
    write("/proc/sys/kernel/osrelease", "6.6.51+rpt-rpi-v8\n");
    write("/proc/version",
        "Linux version 6.6.51+rpt-rpi-v8 (serge@raspberrypi.com) (aarch64-linux-gnu-gcc-12 (Debian"
            + " 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT Debian"
            + " 1:6.6.51-1+rpt3 (2024-10-08)\n");
    write("/proc/sys/kernel/arch", "aarch64\n");
    write("/proc/sys/kernel/hostname", "pi4-gateway\n");
    write("/sys/devices/system/cpu/online", "0-3\n");

    HostInfo info = HostInfo.read(HostRoot.of(dir));

    assertEquals("6.6.51+rpt-rpi-v8", info.kernelRelease().orElseThrow());
    assertTrue(info.kernelVersion().orElseThrow().contains("SMP PREEMPT Debian"));
    assertEquals("aarch64", info.architecture().orElseThrow());
    assertEquals("pi4-gateway", info.hostname().orElseThrow());
    assertEquals(CpuSet.range(0, 3), info.onlineCpus().orElseThrow());
  }

  @Test
  void read_emptyRoot_everyFactUnavailableWithTheFileNamed() {
    HostInfo info = HostInfo.read(HostRoot.of(dir));
    assertFalse(info.kernelRelease().isAvailable());
    assertFalse(info.onlineCpus().isAvailable());
    String reason = ((Availability.Unavailable<CpuSet>) info.onlineCpus()).reason();
    assertTrue(reason.contains("/sys/devices/system/cpu/online"), reason);
  }

  @Test
  void read_malformedCpuList_isUnavailableWithTheParseError() throws IOException {
    write("/sys/devices/system/cpu/online", "0-x\n");
    Availability<CpuSet> cpus = HostInfo.read(HostRoot.of(dir)).onlineCpus();
    String reason = ((Availability.Unavailable<CpuSet>) cpus).reason();
    assertTrue(reason.contains("malformed") && reason.contains("0-x"), reason);
  }

  @Test
  void read_liveSystem_hasKernelRelease() {
    // Every Linux kernel since 2.6 provides /proc/sys/kernel/osrelease.
    HostInfo info = HostInfo.read(HostRoot.system());
    assertEquals(
        System.getProperty("os.version"), info.kernelRelease().orElseThrow());
  }
}
