package org.edgesdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class EdgeExceptionTest {

  @Test
  void message_combinesCodeProblemAndRemedy() {
    EdgeException e =
        new EdgeException(ErrorCode.PERMISSION_DENIED, "cannot write scaling_governor", "run as root");
    assertEquals("PERMISSION_DENIED: cannot write scaling_governor; fix: run as root", e.getMessage());
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertEquals("cannot write scaling_governor", e.problem());
    assertEquals("run as root", e.remedy());
  }

  @Test
  void constructor_withCause_keepsCause() {
    IOException cause = new IOException("EACCES");
    EdgeException e = new EdgeException(ErrorCode.IO_ERROR, "read failed", "retry", cause);
    assertSame(cause, e.getCause());
  }

  @Test
  void exception_isUnchecked() {
    assertTrue(RuntimeException.class.isAssignableFrom(EdgeException.class));
  }

  @Test
  void constructor_blankProblemOrRemedy_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class,
        () -> new EdgeException(ErrorCode.INTERNAL, " ", "x"));
    assertThrows(IllegalArgumentException.class,
        () -> new EdgeException(ErrorCode.INTERNAL, "x", ""));
  }

  @Test
  void constructor_nullCode_throwsNullPointer() {
    ErrorCode none = null;
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> new EdgeException(none, "p", "r"));
    assertEquals("code", e.getMessage());
  }

  @Test
  void oneLine_multiLineText_isFlattened() {
    EdgeException e = new EdgeException(ErrorCode.CORRUPT_DATA, "bad chunk\nat 0x40", "restore\r\nbackup");
    assertEquals("CORRUPT_DATA: bad chunk at 0x40; fix: restore backup", e.oneLine());
    assertFalse(e.oneLine().contains("\n"));
  }

  @Test
  void isRetryable_transientCodesOnly() {
    assertTrue(ErrorCode.BUSY.isRetryable());
    assertTrue(ErrorCode.IO_ERROR.isRetryable());
    assertTrue(ErrorCode.TIMEOUT.isRetryable());
    assertFalse(ErrorCode.VERIFICATION_FAILED.isRetryable());
    assertFalse(ErrorCode.PERMISSION_DENIED.isRetryable());
  }
}
