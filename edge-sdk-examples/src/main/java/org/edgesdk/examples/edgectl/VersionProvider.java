package org.edgesdk.examples.edgectl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** Supplies {@code edgectl --version} from the version Maven wrote into the jar at build time. */
final class VersionProvider implements CommandLine.IVersionProvider {

  /**
   * Returns the SDK version this tool was built from.
   *
   * @return the version, such as {@code 0.1.0-SNAPSHOT}
   */
  static String sdkVersion() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the edgectl jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "edgectl " + sdkVersion(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
          + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
    };
  }
}
