package org.edgesdk.api.ota;

import java.util.Locale;

/** How a target's bytes are compressed; the installer decompresses while writing the slot. */
public enum Compression {
  /** Stored as is. */
  NONE,
  /** gzip (RFC 1952). */
  GZIP,
  /** xz (LZMA2). */
  XZ,
  /** Zstandard (RFC 8878). */
  ZSTD;

  /**
   * Returns the name used in metadata: {@code none}, {@code gzip}, {@code xz} or {@code zstd}.
   *
   * @return the lower-case name
   */
  public String metadataName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the compression with the given metadata name.
   *
   * @param name {@code none}, {@code gzip}, {@code xz} or {@code zstd}, in any case
   * @return the compression
   * @throws IllegalArgumentException if the name is none of these
   */
  public static Compression fromMetadataName(String name) {
    for (Compression c : values()) {
      if (c.metadataName().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown compression '" + name + "' (known: none, gzip, xz, zstd)");
  }
}
