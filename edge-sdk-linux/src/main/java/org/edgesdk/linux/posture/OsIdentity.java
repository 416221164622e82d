package org.edgesdk.linux.posture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operating system's identity from {@code os-release} (os-release(5)).
 *
 * @param id {@code ID} ({@code linux} when the file omits it, as the specification says)
 * @param versionId {@code VERSION_ID}, such as {@code 22} or {@code 9.4}
 * @param variantId {@code VARIANT_ID}, such as {@code iot} on Fedora IoT
 * @param name {@code NAME}, such as {@code Ubuntu Core}
 * @param prettyName {@code PRETTY_NAME}
 * @param idLike {@code ID_LIKE}, the related distributions
 * @param distribution the recognised family
 * @param ostree whether {@code /run/ostree-booted} exists (the system runs an ostree deployment)
 */
public record OsIdentity(
    String id,
    Optional<String> versionId,
    Optional<String> variantId,
    Optional<String> name,
    Optional<String> prettyName,
    List<String> idLike,
    Distribution distribution,
    boolean ostree) {

  /**
   * Creates an identity.
   *
   * @param id the {@code ID}
   * @param versionId the {@code VERSION_ID}
   * @param variantId the {@code VARIANT_ID}
   * @param name the {@code NAME}
   * @param prettyName the {@code PRETTY_NAME}
   * @param idLike the {@code ID_LIKE} entries
   * @param distribution the recognised family
   * @param ostree whether the system runs an ostree deployment
   */
  public OsIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(variantId, "variantId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(prettyName, "prettyName");
    idLike = List.copyOf(idLike);
    Objects.requireNonNull(distribution, "distribution");
  }

  /**
   * Parses {@code os-release} text into its variables: {@code KEY=value} lines, values optionally in
   * single or double quotes, backslash escapes inside double quotes, {@code #} comments and blank
   * lines ignored. Malformed lines are skipped, as the specification asks of readers.
   *
   * @param text the file content
   * @return the variables
   */
  public static Map<String, String> parseVariables(String text) {
    Map<String, String> vars = new HashMap<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      int eq = line.indexOf('=');
      if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq);
      if (!key.matches("[A-Z][A-Z0-9_]*")) {
        continue;
      }
      unquote(line.substring(eq + 1)).ifPresent(v -> vars.put(key, v));
    }
    return vars;
  }

  private static Optional<String> unquote(String value) {
    if (value.isEmpty()) {
      return Optional.of("");
    }
    char first = value.charAt(0);
    if (first != '"' && first != '\'') {
      return Optional.of(value);
    }
    if (value.length() < 2 || value.charAt(value.length() - 1) != first) {
      return Optional.empty(); // unterminated quote: malformed line
    }
    String inner = value.substring(1, value.length() - 1);
    if (first == '\'') {
      return Optional.of(inner);
    }
    StringBuilder out = new StringBuilder(inner.length());
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '\\' && i + 1 < inner.length()) {
        out.append(inner.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return Optional.of(out.toString());
  }

  /**
   * Builds the identity from os-release variables and the ostree marker, recognising the family.
   *
   * @param vars the variables from {@link #parseVariables(String)}
   * @param ostree whether {@code /run/ostree-booted} exists
   * @return the identity
   */
  public static OsIdentity of(Map<String, String> vars, boolean ostree) {
    String id = nonBlank(vars.get("ID")).orElse("linux");
    List<String> like = new ArrayList<>();
    for (String entry : vars.getOrDefault("ID_LIKE", "").split("\\s+")) {
      if (!entry.isEmpty()) {
        like.add(entry);
      }
    }
    Optional<String> variant = nonBlank(vars.get("VARIANT_ID"));
    return new OsIdentity(
        id,
        nonBlank(vars.get("VERSION_ID")),
        variant,
        nonBlank(vars.get("NAME")),
        nonBlank(vars.get("PRETTY_NAME")),
        like,
        recognise(id, like, variant.orElse(""), ostree),
        ostree);
  }

  private static Distribution recognise(String id, List<String> like, String variant, boolean ostree) {
    boolean rhelLike = id.equals("rhel") || like.contains("rhel");
    if (id.equals("ubuntu-core")) {
      return Distribution.UBUNTU_CORE;
    }
    if (ostree) {
      if (id.equals("fedora") && variant.equals("iot")) {
        return Distribution.FEDORA_IOT;
      }
      return rhelLike ? Distribution.RHEL_FOR_EDGE : Distribution.OSTREE;
    }
    if (id.equals("poky") || like.contains("poky")) {
      return Distribution.YOCTO;
    }
    if (id.equals("alpine")) {
      return Distribution.ALPINE;
    }
    if (id.equals("ubuntu")) {
      return Distribution.UBUNTU;
    }
    if (id.equals("debian") || like.contains("debian") || like.contains("ubuntu")) {
      return Distribution.DEBIAN;
    }
    if (id.equals("fedora")) {
      return Distribution.FEDORA;
    }
    return rhelLike ? Distribution.RHEL : Distribution.OTHER;
  }

  private static Optional<String> nonBlank(@Nullable String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
