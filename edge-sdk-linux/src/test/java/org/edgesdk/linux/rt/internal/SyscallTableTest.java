package org.edgesdk.linux.rt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The numbers are those of the kernel's tables: arch/x86/entry/syscalls/syscall_64.tbl (gettid 186,
 * sched_setattr 314, sched_getattr 315), include/uapi/asm-generic/unistd.h for aarch64 and riscv64
 * (178, 274, 275) and arch/arm/tools/syscall.tbl for EABI arm (224, 380, 381).
 */
class SyscallTableTest {

  @Test
  void forArchitecture_x86_64_kernelNumbers() {
    SyscallTable t = SyscallTable.forArchitecture("amd64").orElseThrow();
    assertEquals(new SyscallTable("x86_64", 186, 314, 315), t);
    assertEquals(Optional.of(t), SyscallTable.forArchitecture("x86_64"));
  }

  @Test
  void forArchitecture_aarch64_genericNumbers() {
    assertEquals(new SyscallTable("aarch64", 178, 274, 275), SyscallTable.forArchitecture("aarch64").orElseThrow());
    assertEquals(SyscallTable.AARCH64, SyscallTable.forArchitecture("arm64").orElseThrow());
  }

  @Test
  void forArchitecture_arm_eabiNumbers() {
    assertEquals(new SyscallTable("arm", 224, 380, 381), SyscallTable.forArchitecture("arm").orElseThrow());
    assertEquals(SyscallTable.ARM, SyscallTable.forArchitecture("armv7l").orElseThrow());
  }

  @Test
  void forArchitecture_riscv64_genericNumbers() {
    assertEquals(new SyscallTable("riscv64", 178, 274, 275), SyscallTable.forArchitecture("riscv64").orElseThrow());
  }

  @Test
  void forArchitecture_unknown_isEmpty() {
    assertEquals(Optional.empty(), SyscallTable.forArchitecture("s390x"));
    assertEquals(Optional.empty(), SyscallTable.forArchitecture("ppc64le"));
  }

  private static long define(Path header, String name) throws IOException {
    Matcher m = Pattern.compile("#define __NR_" + name + "\\s+(\\d+)").matcher(Files.readString(header));
    assertTrue(m.find(), name + " in " + header);
    return Long.parseLong(m.group(1));
  }

  @Test
  void x86_64Row_matchesInstalledKernelHeaders() throws IOException {
    Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    Assumptions.assumeTrue(Files.exists(header), "needs linux-libc-dev's " + header);
    assertEquals(define(header, "gettid"), SyscallTable.X86_64.gettid());
    assertEquals(define(header, "sched_setattr"), SyscallTable.X86_64.schedSetattr());
    assertEquals(define(header, "sched_getattr"), SyscallTable.X86_64.schedGetattr());
  }

  @Test
  void aarch64Row_matchesInstalledGenericHeaders() throws IOException {
    Path header = Path.of("/usr/include/asm-generic/unistd.h");
    Assumptions.assumeTrue(Files.exists(header), "needs linux-libc-dev's " + header);
    assertEquals(define(header, "gettid"), SyscallTable.AARCH64.gettid());
    assertEquals(define(header, "sched_setattr"), SyscallTable.AARCH64.schedSetattr());
    assertEquals(define(header, "sched_getattr"), SyscallTable.AARCH64.schedGetattr());
  }

  @Test
  void schedAttr_isVersion0Size48() {
    assertEquals(48, new SchedAttr().size());
    assertEquals(SchedAttr.SIZE_VER0, new SchedAttr().size);
  }

  @Test
  void rlimit_isTwoCLongs() {
    assertEquals(2 * Native.LONG_SIZE, new Rlimit().size());
  }

  @Test
  void errnoName_knownAndUnknown() {
    assertEquals("EPERM", Errno.name(1));
    assertEquals("EINVAL", Errno.name(22));
    assertEquals("errno 99", Errno.name(99));
  }
}
