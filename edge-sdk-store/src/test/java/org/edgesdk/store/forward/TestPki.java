package org.edgesdk.store.forward;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates made at test time with the JDK's {@code keytool} only (no openssl): a CA, and
 * server certificates it signs (or self-signed ones), written as the PEM files mosquitto reads
 * ({@code cafile}, {@code certfile}, {@code keyfile}, the key as PKCS#8 {@code BEGIN PRIVATE KEY}).
 * Keys are EC P-256; certificates are valid for two days.
 */
final class TestPki {
  private static final String PASS = "changeit";
  private final Path dir;
  private final Path caStore;
  /** The CA certificate, PEM. */
  final Path caPem;

  /** The PEM files of one server certificate. */
  record ServerFiles(Path cafile, Path certfile, Path keyfile) {}

  private TestPki(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    this.caStore = dir.resolve("ca.p12");
    this.caPem = dir.resolve("ca.pem");
    keytool("-genkeypair", "-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass", PASS,
        "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Edge SDK Test CA",
        "-ext", "bc:c", "-validity", "2");
    keytool("-exportcert", "-rfc", "-keystore", caStore.toString(), "-storepass", PASS, "-alias", "ca",
        "-file", caPem.toString());
  }

  /**
   * Creates a CA in {@code dir}.
   *
   * @param dir an empty directory
   * @return the CA
   */
  static TestPki create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    return new TestPki(dir);
  }

  /**
   * Issues a server certificate signed by this CA.
   *
   * @param name the file name prefix
   * @param san the keytool SAN extension value, e.g. {@code ip:127.0.0.1,dns:localhost}
   * @return the PEM files, with this CA as {@code cafile}
   */
  ServerFiles issue(String name, String san) throws IOException, InterruptedException, GeneralSecurityException {
    Path store = dir.resolve(name + ".p12");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    keytool("-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASS,
        "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "2");
    keytool("-certreq", "-keystore", store.toString(), "-storepass", PASS, "-alias", "server",
        "-file", csr.toString());
    keytool("-gencert", "-rfc", "-keystore", caStore.toString(), "-storepass", PASS, "-alias", "ca",
        "-infile", csr.toString(), "-outfile", cert.toString(), "-ext", "san=" + san, "-validity", "2");
    return new ServerFiles(caPem, cert, writeKey(store, dir.resolve(name + ".key")));
  }

  /**
   * Makes a self-signed server certificate, which no CA of the test vouches for.
   *
   * @param dir the directory for its files
   * @param name the file name prefix
   * @param san the keytool SAN extension value
   * @return the PEM files, the certificate itself as {@code cafile}
   */
  static ServerFiles selfSigned(Path dir, String name, String san)
      throws IOException, InterruptedException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path store = dir.resolve(name + ".p12");
    Path cert = dir.resolve(name + ".crt");
    keytool("-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASS,
        "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "san=" + san, "-validity", "2");
    keytool("-exportcert", "-rfc", "-keystore", store.toString(), "-storepass", PASS, "-alias", "server",
        "-file", cert.toString());
    return new ServerFiles(cert, cert, writeKey(store, dir.resolve(name + ".key")));
  }

  /**
   * A socket factory that trusts this CA only.
   *
   * @return the factory
   */
  SSLSocketFactory socketFactory() throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx.getSocketFactory();
  }

  /** Writes the key of {@code store}'s "server" entry as PKCS#8 PEM, readable by the owner only. */
  private static Path writeKey(Path store, Path keyFile) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASS.toCharArray());
    }
    Key key = ks.getKey("server", PASS.toCharArray());
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new GeneralSecurityException("expected a PKCS#8 key, got " + key.getFormat());
    }
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(keyFile, pem, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    return keyFile;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    // the running JDK's keytool ($JAVA_HOME/bin/keytool of the JVM running the tests)
    Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new ArrayList<>();
    cmd.add(tool.toString());
    cmd.add("-noprompt");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed with " + p.exitValue() + ": " + out);
    }
  }
}
