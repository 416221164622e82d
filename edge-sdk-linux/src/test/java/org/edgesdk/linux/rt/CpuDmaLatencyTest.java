package org.edgesdk.linux.rt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.HostRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuDmaLatencyTest {
  @TempDir Path dir;

  @Test
  void hold_writesA32BitValueInCpuOrder_andReleasesOnClose() throws Exception {
    HostRoot root = HostRoot.of(dir);
    FixtureTree.write(root, "/dev/cpu_dma_latency", "");
    CpuDmaLatency request = RealTime.of(root, new FakeKernel()).holdCpuDmaLatency(7);
    try (request) {
      assertTrue(request.isHeld());
      byte[] expected = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(7).array();
      assertArrayEquals(expected, Files.readAllBytes(root.resolve("/dev/cpu_dma_latency")));
    }
    assertFalse(request.isHeld());
    request.close(); // twice is harmless
  }

  @Test
  void hold_noDevice_isUnsupported() {
    EdgeException e = assertThrows(EdgeException.class,
        () -> RealTime.of(HostRoot.of(dir), new FakeKernel()).holdCpuDmaLatency(0));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.problem().contains("cpu_dma_latency does not exist"), e.problem());
  }

  @Test
  void hold_liveDevice_keepsTheRequestWhileOpen() {
    Path dev = Path.of("/dev/cpu_dma_latency");
    Assumptions.assumeTrue(Files.isWritable(dev), "needs root and /dev/cpu_dma_latency");
    try (CpuDmaLatency request = RealTime.system().holdCpuDmaLatency(0)) {
      assertTrue(request.isHeld());
      assertEquals(0, request.microseconds());
    }
  }
}
