package org.edgesdk.ota.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install on real block devices: two image files attached as loop devices with {@code losetup
 * --find --show}, their {@code /dev/loopN} paths as the slots. Needs root and the loop driver; skipped
 * with the reason otherwise. The devices are detached with {@code losetup -d} after each test.
 */
class LoopDeviceTest {
  private static final Path LOSETUP = Path.of("/usr/sbin/losetup");
  private static final int MIB = 1 << 20;

  @TempDir Path dir;

  private final List<String> attached = new ArrayList<>();

  @BeforeEach
  void needsRootAndLosetup() throws IOException {
    assumeTrue(Files.isExecutable(LOSETUP), "needs losetup (Debian package mount)");
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assumeTrue(Integer.valueOf(0).equals(uid), "needs root to attach loop devices (uid " + uid + ")");
  }

  @AfterEach
  void detach() throws Exception {
    List<String> failures = new ArrayList<>();
    for (String device : attached) {
      Result r = run(LOSETUP.toString(), "-d", device);
      if (r.status != 0) {
        failures.add(device + ": " + r.output);
      }
    }
    assertTrue(failures.isEmpty(), "losetup -d failed: " + failures);
  }

  @Test
  void install_loopDeviceSlots_commitsAndDeviceHoldsTheImage() throws Exception {
    AbFixture f = new AbFixture(dir.resolve("device"));
    byte[] image = AbFixture.image(7, 3 * MIB + 12_345); // not a multiple of the sector size
    f.publish("rootfs-2.img.gz", image, "2.0", 2, true);
    String a = attach(backing("a.raw", 2 * MIB, f.imageA));
    byte[] oldB = filled(8 * MIB, (byte) 0x5a); // larger than the image: the tail stays as it was
    String b = attach(backing("b.raw", 8 * MIB, oldB));
    AbUpdater u = updater(f, a, b);

    assertEquals("B", u.install(u.chooseTarget(Optional.of("rootfs-2.img.gz")).orElseThrow()));
    assertEquals("B", powerOn(f, u));
    u.resume();
    assertTrue(u.checkHealth(List.of(new HealthCheck("app", Duration.ofSeconds(5), () -> true))));

    UpdateStatus st = u.status();
    assertEquals(UpdateState.COMMITTED, st.state(), st.toString());
    assertEquals(new SlotStatus("good", Optional.of("2.0")), st.slots().get("B"));
    byte[] onDevice = readDevice(b, 8 * MIB);
    assertArrayEquals(image, Arrays.copyOf(onDevice, image.length), "the image at the start of " + b);
    assertArrayEquals(Arrays.copyOfRange(oldB, image.length, oldB.length),
        Arrays.copyOfRange(onDevice, image.length, onDevice.length), "the rest of " + b + " untouched");
    assertEquals(8L * MIB, Files.size(dir.resolve("b.raw")), "the device was not resized");
    assertArrayEquals(f.imageA, Arrays.copyOf(readDevice(a, 2 * MIB), f.imageA.length), "slot A untouched");
    assertEquals("B", powerOn(f, u));
  }

  @Test
  void install_loopDeviceSmallerThanImage_failsAndKnownGoodSlotStillBoots() throws Exception {
    AbFixture f = new AbFixture(dir.resolve("device"));
    byte[] image = AbFixture.image(8, 3 * MIB);
    f.publish("rootfs-2.img", image, "2.0", 2, false);
    String a = attach(backing("a.raw", 2 * MIB, f.imageA));
    String b = attach(backing("b.raw", MIB, new byte[0]));
    AbUpdater u = updater(f, a, b);

    EdgeException e = assertThrows(EdgeException.class,
        () -> u.install(u.chooseTarget(Optional.of("rootfs-2.img")).orElseThrow()));

    System.out.println("LoopDeviceTest: install into a 1 MiB device: " + e.getMessage());
    assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(b), "the problem names the device: " + e.getMessage());
    assertTrue(e.getMessage().contains("needs " + image.length + " bytes but slot " + b + " holds only " + MIB
        + " bytes"), "the problem names both sizes: " + e.getMessage());
    assertTrue(e.remedy().contains("at least as large as the image"), e.remedy());
    assertArrayEquals(new byte[MIB], readDevice(b, MIB), "a known-too-small device is not written at all");
    assertFalse(u.bootControl().state("B").bootable(), "the partly written slot does not boot");
    assertEquals(Optional.of("A"), u.bootControl().primary());
    assertEquals("A", powerOn(f, u));
    assertArrayEquals(f.imageA, Arrays.copyOf(readDevice(a, 2 * MIB), f.imageA.length));
  }

  @Test
  void install_gzipImageLargerThanDevice_stopsAtTheDeviceEndWithBothSizes() throws Exception {
    AbFixture f = new AbFixture(dir.resolve("device"));
    f.publish("rootfs-2.img.gz", AbFixture.image(8, 3 * MIB), "2.0", 2, true);
    String a = attach(backing("a.raw", 2 * MIB, f.imageA));
    String b = attach(backing("b.raw", MIB, new byte[0]));
    AbUpdater u = updater(f, a, b);

    EdgeException e = assertThrows(EdgeException.class,
        () -> u.install(u.chooseTarget(Optional.of("rootfs-2.img.gz")).orElseThrow()));

    assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("needs more than " + MIB + " bytes but slot " + b + " holds only " + MIB
        + " bytes"), "the decompressed size is only known while writing: " + e.getMessage());
    assertFalse(u.bootControl().state("B").bootable(), "the partly written slot does not boot");
    assertEquals("A", powerOn(f, u));
  }

  private AbUpdater updater(AbFixture f, String a, String b) throws IOException {
    Path config = f.dir.resolve("device.json");
    String json = Files.readString(config)
        .replace("\"A\": \"slot-a.img\"", "\"A\": \"" + a + "\"")
        .replace("\"B\": \"slot-b.img\"", "\"B\": \"" + b + "\"");
    Files.writeString(config, json);
    DeviceConfig c = DeviceConfig.load(config);
    assertEquals(Path.of(b), c.slots().get("B"), json);
    return AbUpdater.builder(c).hostRoot(HostRoot.of(f.dir.resolve("host"))).build();
  }

  private static String powerOn(AbFixture f, AbUpdater u) throws IOException {
    String slot = u.bootControl().simulateBoot().orElseThrow();
    f.boot(slot);
    return slot;
  }

  private Path backing(String name, int size, byte[] content) throws IOException {
    byte[] bytes = Arrays.copyOf(content, size);
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] filled(int size, byte value) {
    byte[] b = new byte[size];
    Arrays.fill(b, value);
    return b;
  }

  private String attach(Path file) throws Exception {
    Result r = run(LOSETUP.toString(), "--find", "--show", file.toString());
    assumeTrue(r.status == 0 && r.output.startsWith("/dev/loop"),
        "losetup --find --show " + file + " failed (no loop driver or not permitted here): " + r.output);
    String device = r.output.trim();
    attached.add(device);
    assertTrue(Files.exists(Path.of(device)), device + " exists");
    return device;
  }

  private static byte[] readDevice(String device, int length) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(device))) {
      return in.readNBytes(length);
    }
  }

  private record Result(int status, String output) {}

  private static Result run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " did not end");
    return new Result(p.exitValue(), out);
  }
}
