package org.edgesdk.linux.rt.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The system call numbers the C library has no wrapper for (or had none in older releases), per
 * architecture. Numbers differ between architectures, and two well-known Java libraries shipped wrong
 * ones, so each row is tested against the kernel's tables (arch/x86/entry/syscalls/syscall_64.tbl,
 * include/uapi/asm-generic/unistd.h for aarch64 and riscv64, arch/arm/tools/syscall.tbl for EABI arm).
 *
 * @param architecture the kernel's name of the architecture ({@code uname -m} style)
 * @param gettid the number of {@code gettid}
 * @param schedSetattr the number of {@code sched_setattr}
 * @param schedGetattr the number of {@code sched_getattr}
 */
public record SyscallTable(String architecture, long gettid, long schedSetattr, long schedGetattr) {
  /** x86_64 (Java's {@code os.arch} {@code amd64}). */
  public static final SyscallTable X86_64 = new SyscallTable("x86_64", 186, 314, 315);
  /** 64-bit ARM. */
  public static final SyscallTable AARCH64 = new SyscallTable("aarch64", 178, 274, 275);
  /** 32-bit ARM, EABI. */
  public static final SyscallTable ARM = new SyscallTable("arm", 224, 380, 381);
  /** 64-bit RISC-V (the asm-generic numbers, as aarch64). */
  public static final SyscallTable RISCV64 = new SyscallTable("riscv64", 178, 274, 275);

  /**
   * Creates a row.
   *
   * @param architecture the architecture
   * @param gettid gettid's number
   * @param schedSetattr sched_setattr's number
   * @param schedGetattr sched_getattr's number
   */
  public SyscallTable {
    Objects.requireNonNull(architecture, "architecture");
  }

  /**
   * Returns the table of an architecture named as Java's {@code os.arch} or {@code uname -m} names
   * it ({@code amd64}, {@code x86_64}, {@code aarch64}, {@code arm}, {@code armv7l}, {@code riscv64}).
   *
   * @param arch the architecture name
   * @return the table, or empty for an architecture the SDK has no numbers for
   */
  public static Optional<SyscallTable> forArchitecture(String arch) {
    String a = arch.toLowerCase(Locale.ROOT);
    if (a.equals("amd64") || a.equals("x86_64")) {
      return Optional.of(X86_64);
    }
    if (a.equals("aarch64") || a.equals("arm64")) {
      return Optional.of(AARCH64);
    }
    if (a.equals("arm") || a.startsWith("armv") || a.equals("armhf") || a.equals("armel")) {
      return Optional.of(ARM);
    }
    if (a.equals("riscv64")) {
      return Optional.of(RISCV64);
    }
    return Optional.empty();
  }
}
