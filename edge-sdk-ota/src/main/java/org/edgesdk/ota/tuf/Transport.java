package org.edgesdk.ota.tuf;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.edgesdk.ota.tuf.internal.FileTransport;
import org.edgesdk.ota.tuf.internal.HttpTransport;

/**
 * Fetches a repository's files, bounded in size and time. Paths are relative to the repository's
 * base, for example {@code metadata/timestamp.json} or {@code targets/ab12...cd.rootfs.img}.
 *
 * <p>{@link #of(URI, Timeouts)} gives the built-in transports: {@code http://} and {@code https://}
 * through {@code java.net.http}, and {@code file://} for updates from local media.
 */
public interface Transport {

  /**
   * Fetches one file, refusing more than {@code maxLength} bytes.
   *
   * @param path the path relative to the repository base
   * @param maxLength the most bytes to accept
   * @return the bytes, or empty if the repository has no such file (HTTP 404 or a missing file)
   * @throws RepositoryRefusedException {@link Refusal#ENDLESS_DATA} past {@code maxLength},
   *     {@link Refusal#SLOW_RETRIEVAL} when the transfer stalls or overruns its deadline
   * @throws org.edgesdk.api.EdgeException {@code IO_ERROR} when the repository cannot be read
   */
  Optional<byte[]> fetch(String path, long maxLength);

  /**
   * Downloads one file into {@code partial} until it holds {@code length} bytes. Bytes already in
   * {@code partial} are kept and the rest is requested (an HTTP {@code Range} request); a server
   * that ignores the range restarts the file from the beginning.
   *
   * @param path the path relative to the repository base
   * @param length the exact length the file must have
   * @param partial the file to append to; created if missing
   * @throws RepositoryRefusedException {@link Refusal#ENDLESS_DATA} if the server sends more than
   *     {@code length} bytes, {@link Refusal#SLOW_RETRIEVAL} when the transfer stalls
   * @throws org.edgesdk.api.EdgeException {@code NOT_FOUND} if the file is missing, {@code IO_ERROR}
   *     when the repository cannot be read or the transfer ends early
   */
  void download(String path, long length, Path partial);

  /**
   * Opens one file as a stream that starts at byte {@code offset} and ends at byte {@code length},
   * without keeping a copy anywhere: an HTTP {@code Range} request from {@code offset}, or a file
   * read from that position. A server that ignores the range answers with the whole file; the
   * stream then skips the first {@code offset} bytes itself (they are transferred again).
   *
   * <p>The stream refuses more than {@code length - offset} bytes and applies the stall timeout
   * and the overall deadline of the transport while it is read. It checks nothing else: the
   * caller verifies the bytes, as {@link TufClient#openTarget(org.edgesdk.api.ota.TargetDescription)}
   * does.
   *
   * <p>The default implementation throws {@code UNSUPPORTED}, so transports written before this
   * method existed keep compiling; the built-in transports implement it.
   *
   * @param path the path relative to the repository base
   * @param offset the first byte to deliver, from 0 to {@code length}
   * @param length the exact length the whole file must have
   * @return the stream of bytes {@code offset} to {@code length - 1}; its {@code read} methods
   *     throw {@link RepositoryRefusedException} ({@link Refusal#ENDLESS_DATA},
   *     {@link Refusal#SLOW_RETRIEVAL}) as an unchecked exception
   * @throws IllegalArgumentException if {@code offset} is negative or above {@code length}
   * @throws org.edgesdk.api.EdgeException {@code NOT_FOUND} if the file is missing, {@code IO_ERROR}
   *     when the repository cannot be read, {@code UNSUPPORTED} if this transport cannot stream
   */
  default InputStream open(String path, long offset, long length) {
    throw new org.edgesdk.api.EdgeException(org.edgesdk.api.ErrorCode.UNSUPPORTED,
        getClass().getName() + " cannot stream " + path + " (Transport.open is not implemented)",
        "implement Transport.open, or use the built-in http(s):// or file:// transport");
  }

  /**
   * Checks the arguments of {@link #open(String, long, long)}.
   *
   * @param offset the first byte to deliver
   * @param length the file's length
   * @throws IllegalArgumentException unless {@code 0 <= offset <= length}
   */
  static void checkRange(long offset, long length) {
    if (offset < 0 || offset > length) {
      throw new IllegalArgumentException("offset must be within 0.." + length + " but was " + offset);
    }
  }

  /**
   * Returns the built-in transport for a repository base URI.
   *
   * @param base an {@code http://}, {@code https://} or {@code file://} URI of the repository's
   *     top directory (the one holding {@code metadata/} and {@code targets/})
   * @param timeouts the bounds on every transfer
   * @return the transport
   * @throws IllegalArgumentException for any other scheme
   */
  static Transport of(URI base, Timeouts timeouts) {
    String scheme = String.valueOf(base.getScheme()).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "https" -> new HttpTransport(base, timeouts);
      case "file" -> new FileTransport(Path.of(base));
      default -> throw new IllegalArgumentException(
          "unsupported repository URL '" + base + "': use http://, https:// or file://");
    };
  }
}
