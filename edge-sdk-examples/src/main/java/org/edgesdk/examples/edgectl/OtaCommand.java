package org.edgesdk.examples.edgectl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgesdk.api.EdgeException;
import org.edgesdk.api.ErrorCode;
import org.edgesdk.api.ota.Compression;
import org.edgesdk.api.ota.TargetDescription;
import org.edgesdk.ota.repo.RepositoryPublisher;
import org.edgesdk.ota.repo.UpdateFields;
import org.edgesdk.ota.tuf.KeyType;
import org.edgesdk.ota.tuf.TufClient;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgectl ota}: TUF-verified update repositories, the device side ({@code check},
 * {@code fetch}) and the publisher side ({@code repo init|add|publish|rotate}); the A/B lifecycle
 * ({@code status}, {@code install}, {@code mark-good}, {@code mark-bad}, {@code simulate-boot}) is in
 * {@link OtaAbCommand}.
 *
 * <p>{@code check --json}: {@code {"repo": string, "securityFloor": int, "hardware": string|null,
 * "targets": [{"name": string, "length": int, "sha256": string|null, "releaseVersion":
 * string|null, "hardware": [string], "slotClass": string|null, "compression": string,
 * "securityVersion": int, "installable": bool, "reason": string|null}]}}.
 *
 * <p>{@code fetch --json}: {@code {"target": string, "out": string, "length": int, "sha256":
 * string|null, "releaseVersion": string|null, "securityVersion": int}}.
 */
@Command(
    name = "ota",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Verified updates: check and fetch targets of a TUF repository, or publish one; install them A/B.",
    subcommands = {OtaCommand.Check.class, OtaCommand.Fetch.class, OtaCommand.Repo.class,
        OtaAbCommand.Status.class, OtaAbCommand.Install.class, OtaAbCommand.MarkGood.class,
        OtaAbCommand.MarkBad.class, OtaAbCommand.SimulateBoot.class})
final class OtaCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing a subcommand (check, fetch, repo, status, install, mark-good, mark-bad, simulate-boot)");
  }

  /** The options every device-side command shares. */
  static final class ClientOptions {
    @Option(names = "--repo", required = true, paramLabel = "URL",
        description = "Repository URL (http://, https:// or file://, or a directory) holding metadata/ and targets/.")
    String repo;

    @Option(names = "--trusted-root", required = true, paramLabel = "FILE",
        description = "The root.json shipped with the device (the repository's 1.root.json).")
    Path trustedRoot;

    @Option(names = "--state", required = true, paramLabel = "DIR",
        description = "Directory of the device's trusted metadata and anti-rollback floor.")
    Path state;

    TufClient client() {
      return TufClient.builder()
          .repository(repositoryUri(repo))
          .trustedRoot(trustedRoot)
          .stateDirectory(state)
          .build();
    }
  }

  static URI repositoryUri(String text) {
    if (text.matches("(?i)(https?|file)://.*")) {
      return URI.create(text);
    }
    if (text.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      throw new EdgeException(ErrorCode.INVALID_ARGUMENT, "unsupported repository URL '" + text + "'",
          "use an http://, https:// or file:// URL, or a directory");
    }
    return Path.of(text).toAbsolutePath().toUri();
  }

  @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Refresh the trusted metadata and list the targets this device may install.")
  static final class Check implements Runnable {
    @CommandLine.Mixin ClientOptions options;

    @Option(names = "--hardware", paramLabel = "ID", description = "This device's hardware identifier; targets for other hardware are not installable.")
    @Nullable String hardware;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      TufClient client = options.client();
      client.refresh();
      long floor = client.securityFloor();
      List<TargetDescription> targets = client.targets();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode doc = Json.object();
        doc.put("repo", options.repo);
        doc.put("securityFloor", floor);
        if (hardware == null) {
          doc.putNull("hardware");
        } else {
          doc.put("hardware", hardware);
        }
        ArrayNode array = doc.putArray("targets");
        for (TargetDescription t : targets) {
          ObjectNode node = describe(t, array.addObject());
          String reason = reason(t, floor);
          node.put("installable", reason == null);
          if (reason == null) {
            node.putNull("reason");
          } else {
            node.put("reason", reason);
          }
        }
        Json.print(out, doc);
        return;
      }
      out.println("repository " + options.repo + " verified; security floor " + floor);
      if (targets.isEmpty()) {
        out.println("no targets");
      }
      for (TargetDescription t : targets) {
        String reason = reason(t, floor);
        out.println((reason == null ? "  installable  " : "  refused      ") + t.name()
            + "  " + t.releaseVersion().orElse("-") + "  " + t.length() + " bytes"
            + "  security " + t.securityVersion()
            + (t.hardware().isEmpty() ? "" : "  hardware " + String.join(",", t.hardware()))
            + t.slotClass().map(s -> "  slot " + s).orElse("")
            + (t.compression() == Compression.NONE ? "" : "  " + t.compression().metadataName())
            + (reason == null ? "" : "  (" + reason + ")"));
      }
      out.flush();
    }

    private @Nullable String reason(TargetDescription t, long floor) {
      if (t.securityVersion() < floor) {
        return "security version " + t.securityVersion() + " is below the floor " + floor;
      }
      if (hardware != null && !t.runsOn(hardware)) {
        return "built for " + String.join(",", t.hardware()) + ", not " + hardware;
      }
      return null;
    }
  }

  static ObjectNode describe(TargetDescription t, ObjectNode node) {
    node.put("name", t.name());
    node.put("length", t.length());
    putOptional(node, "sha256", Optional.ofNullable(t.hashes().get("sha256")));
    putOptional(node, "releaseVersion", t.releaseVersion());
    ArrayNode hw = node.putArray("hardware");
    t.hardware().stream().sorted().forEach(hw::add);
    putOptional(node, "slotClass", t.slotClass());
    node.put("compression", t.compression().metadataName());
    node.put("securityVersion", t.securityVersion());
    return node;
  }

  private static void putOptional(ObjectNode node, String field, Optional<String> value) {
    if (value.isPresent()) {
      node.put(field, value.get());
    } else {
      node.putNull(field);
    }
  }

  @Command(name = "fetch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Refresh the trusted metadata, then download and verify one target (resuming a partial download).")
  static final class Fetch implements Runnable {
    @CommandLine.Mixin ClientOptions options;

    @Option(names = "--target", required = true, paramLabel = "NAME", description = "The target's name in the repository.")
    String target;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the verified target.")
    Path out;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      TufClient client = options.client();
      client.refresh();
      TargetDescription t = client.target(target).orElseThrow(() -> new EdgeException(ErrorCode.NOT_FOUND,
          "the repository " + options.repo + " has no target '" + target + "'",
          "run 'edgectl ota check' to list the targets it offers"));
      client.download(t, out);
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        ObjectNode doc = Json.object();
        doc.put("target", t.name());
        doc.put("out", out.toString());
        doc.put("length", t.length());
        putOptional(doc, "sha256", Optional.ofNullable(t.hashes().get("sha256")));
        putOptional(doc, "releaseVersion", t.releaseVersion());
        doc.put("securityVersion", t.securityVersion());
        Json.print(w, doc);
        return;
      }
      w.println("fetched " + t.name() + " (" + t.length() + " bytes, verified) to " + out);
      w.flush();
    }
  }

  @Command(name = "repo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Publish a TUF repository: init, add, publish, rotate.",
      subcommands = {Init.class, Add.class, Publish.class, Rotate.class})
  static final class Repo implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand (init, add, publish, rotate)");
    }
  }

  static KeyType keyType(CommandLine.Model.CommandSpec spec, String name) {
    try {
      return KeyType.fromName(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Create a repository: one PEM key per role in DIR/keys, root version 1, and empty signed targets.")
  static final class Init implements Runnable {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The repository directory.")
    Path dir;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ed25519",
        description = "ed25519, ecdsa (ecdsa-sha2-nistp256) or rsa (rsassa-pss-sha256). Default: ${DEFAULT-VALUE}.")
    String keyType;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      RepositoryPublisher repo = RepositoryPublisher.init(dir, keyType(spec, keyType), Clock.systemUTC());
      PrintWriter out = spec.commandLine().getOut();
      out.println("created " + dir + "; serve " + repo.repositoryDir()
          + "; ship " + repo.initialRoot() + " as the devices' trusted root; keep " + dir.resolve("keys") + " private");
      out.flush();
    }
  }

  // No standard --version option here: --version is the target's release version.
  @Command(name = "add", description = "Add a target (published by the next 'publish').")
  static final class Add implements Runnable {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The repository directory.")
    Path dir;

    @Option(names = "--file", required = true, paramLabel = "IMG", description = "The image file.")
    Path file;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The target's name in the repository.")
    String name;

    @Option(names = "--version", required = true, paramLabel = "V", description = "The release version, for example 1.4.2.")
    String version;

    @Option(names = "--hardware", paramLabel = "H", split = ",", description = "Hardware identifiers it runs on (repeat or comma-separate). Default: any.")
    List<String> hardware = new ArrayList<>();

    @Option(names = "--slot-class", paramLabel = "CLASS", description = "The slot class or image type, for example rootfs.")
    @Nullable String slotClass;

    @Option(names = "--compression", paramLabel = "C", defaultValue = "none", description = "none, gzip, xz or zstd. Default: ${DEFAULT-VALUE}.")
    String compression;

    @Option(names = "--security-version", paramLabel = "N", defaultValue = "0", description = "Security version for the anti-rollback floor. Default: ${DEFAULT-VALUE}.")
    long securityVersion;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "targets", description = "The targets role that lists it. Default: ${DEFAULT-VALUE}.")
    String role;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      Compression c;
      try {
        c = Compression.fromMetadataName(compression);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (securityVersion < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--security-version must be >= 0");
      }
      UpdateFields fields = new UpdateFields(Optional.of(version), new LinkedHashSet<>(hardware),
          Optional.ofNullable(slotClass), c, securityVersion);
      TargetDescription t = RepositoryPublisher.open(dir, Clock.systemUTC()).addTarget(role, file, name, fields);
      PrintWriter out = spec.commandLine().getOut();
      out.println("added " + t.name() + " (" + t.length() + " bytes, sha256 " + t.hashes().get("sha256")
          + "); run 'edgectl ota repo publish --dir " + dir + "' to publish it");
      out.flush();
    }
  }

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)([smhd])");

  static Duration duration(CommandLine.Model.CommandSpec spec, String text) {
    Matcher m = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
    try {
      Duration d;
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } else {
        d = Duration.parse(text);
      }
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("not positive");
      }
      return d;
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "invalid duration '" + text + "': use for example 7d, 12h, 30m or P7D");
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Sign targets, snapshot and timestamp with a new version each.")
  static final class Publish implements Runnable {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The repository directory.")
    Path dir;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "7d",
        description = "How long the new metadata stays valid: 7d, 12h, 30m or ISO-8601 (P7D). Default: ${DEFAULT-VALUE}.")
    String expires;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      Duration lifetime = duration(spec, expires);
      RepositoryPublisher repo = RepositoryPublisher.open(dir, Clock.systemUTC());
      repo.publish(lifetime);
      PrintWriter out = spec.commandLine().getOut();
      out.println("published " + repo.publishedTargets().size() + " target(s), valid for " + lifetime
          + "; serve " + repo.repositoryDir());
      out.flush();
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Replace a role's keys with a new key (new root version signed by old and new root keys); then run publish.")
  static final class Rotate implements Runnable {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The repository directory.")
    Path dir;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "root, timestamp, snapshot or targets.")
    String role;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ed25519", description = "ed25519, ecdsa or rsa. Default: ${DEFAULT-VALUE}.")
    String keyType;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      if (!List.of("root", "timestamp", "snapshot", "targets").contains(role)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--role must be root, timestamp, snapshot or targets, not '" + role + "'");
      }
      RepositoryPublisher repo = RepositoryPublisher.open(dir, Clock.systemUTC());
      long version = repo.rotateKeys(role, keyType(spec, keyType));
      PrintWriter out = spec.commandLine().getOut();
      out.println("rotated the " + role + " key: root version " + version
          + "; run 'edgectl ota repo publish --dir " + dir + "' next");
      out.flush();
    }
  }
}
