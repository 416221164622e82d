package org.edgesdk.ota.ab;

import java.io.IOException;
import java.io.InputStream;

/**
 * xz decompression through the optional {@code org.tukaani:xz} library ({@code requires static}):
 * present only if the application puts it on the class path or module path.
 */
final class XzSupport {
  /** The most memory the xz decoder may use, in KiB: 32 MiB (xz -6 needs 9 MiB, -9 needs 65 MiB). */
  static final int MEMORY_LIMIT_KIB = 32 * 1024;

  private XzSupport() {}

  static boolean available() {
    Module self = XzSupport.class.getModule();
    if (self.isNamed()) {
      return self.getLayer() != null && self.getLayer().findModule("org.tukaani.xz").isPresent()
          && self.canRead(self.getLayer().findModule("org.tukaani.xz").get());
    }
    try {
      Class.forName("org.tukaani.xz.XZInputStream", false, XzSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static InputStream decompress(InputStream in) throws IOException {
    // an xz stream has no boundary a checkpoint can use cheaply: an interrupted install restarts
    return new org.tukaani.xz.XZInputStream(in, MEMORY_LIMIT_KIB);
  }
}
