package org.edgesdk.linux.posture.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parsed {@code /proc/self/mountinfo} of a process (proc(5)): one {@link Mount} per line.
 *
 * <p>Each line reads {@code ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE
 * SUPEROPTIONS}. The kernel escapes space, tab, newline and backslash in paths as {@code \040},
 * {@code \011}, {@code \012} and {@code \134}; {@link #unescape(String)} reverses that.
 *
 * @param mounts the mounts in the order of the file (a later mount on the same point hides an earlier)
 * @param malformed lines that could not be parsed, verbatim
 */
public record MountTable(List<Mount> mounts, List<String> malformed) {

  /**
   * Creates a table.
   *
   * @param mounts the mounts
   * @param malformed the lines that could not be parsed
   */
  public MountTable {
    mounts = List.copyOf(mounts);
    malformed = List.copyOf(malformed);
  }

  /**
   * One mount.
   *
   * @param root the directory of the file system that is mounted ({@code /} or a subdirectory for
   *     bind mounts and ostree deployments)
   * @param mountPoint where it is mounted, unescaped
   * @param mountOptions per-mount options ({@code ro}, {@code rw}, {@code nosuid}, ...)
   * @param fsType the file-system type ({@code ext4}, {@code squashfs}, {@code overlay}, ...)
   * @param source the mount source ({@code /dev/mmcblk0p2}, {@code overlay}, ...), unescaped
   * @param superOptions per-superblock options
   */
  public record Mount(
      String root,
      String mountPoint,
      List<String> mountOptions,
      String fsType,
      String source,
      List<String> superOptions) {
    /**
     * Creates a mount.
     *
     * @param root the mounted directory
     * @param mountPoint where it is mounted
     * @param mountOptions per-mount options
     * @param fsType the file-system type
     * @param source the mount source
     * @param superOptions per-superblock options
     */
    public Mount {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(mountPoint, "mountPoint");
      mountOptions = List.copyOf(mountOptions);
      Objects.requireNonNull(fsType, "fsType");
      Objects.requireNonNull(source, "source");
      superOptions = List.copyOf(superOptions);
    }

    /**
     * Returns whether writes are refused: {@code ro} in the mount or the superblock options.
     *
     * @return {@code true} if read-only
     */
    public boolean readOnly() {
      return mountOptions.contains("ro") || superOptions.contains("ro");
    }
  }

  /**
   * Parses mountinfo text. Lines that do not have the documented fields are collected in
   * {@link #malformed()} instead of failing the whole table.
   *
   * @param text the content of a mountinfo file
   * @return the table
   */
  public static MountTable parse(String text) {
    List<Mount> mounts = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Optional<Mount> mount = parseLine(line);
      if (mount.isPresent()) {
        mounts.add(mount.get());
      } else {
        malformed.add(line);
      }
    }
    return new MountTable(mounts, malformed);
  }

  private static Optional<Mount> parseLine(String line) {
    List<String> fields = Arrays.asList(line.strip().split(" +"));
    int separator = fields.indexOf("-");
    if (separator < 6 || fields.size() < separator + 3) {
      return Optional.empty();
    }
    return Optional.of(new Mount(
        unescape(fields.get(3)),
        unescape(fields.get(4)),
        List.of(fields.get(5).split(",")),
        fields.get(separator + 1),
        unescape(fields.get(separator + 2)),
        fields.size() > separator + 3 ? List.of(fields.get(separator + 3).split(",")) : List.of()));
  }

  /**
   * Reverses the kernel's octal escapes ({@code \040} space, {@code \011} tab, {@code \012}
   * newline, {@code \134} backslash, and any other {@code \ooo}).
   *
   * @param field a path field of mountinfo
   * @return the path as the file system names it
   */
  public static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the mount visible at {@code mountPoint}: the last one listed there.
   *
   * @param mountPoint the mount point, for example {@code /}
   * @return the mount, or empty when nothing is mounted exactly there
   */
  public Optional<Mount> at(String mountPoint) {
    Mount found = null;
    for (Mount m : mounts) {
      if (m.mountPoint().equals(mountPoint)) {
        found = m;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Returns the mounts of a file-system type, in file order.
   *
   * @param fsType the type, for example {@code cgroup2}
   * @return the mounts, possibly none
   */
  public List<Mount> ofType(String fsType) {
    return mounts.stream().filter(m -> m.fsType().equals(fsType)).toList();
  }
}
