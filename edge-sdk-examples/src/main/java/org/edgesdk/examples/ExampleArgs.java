package org.edgesdk.examples;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of an example program: {@code --name value} on the command line, else the environment
 * variable {@code PREFIX_NAME} (upper case, dashes as underscores), else the program's default. Kept
 * deliberately small so each example reads top to bottom without a CLI framework.
 */
public final class ExampleArgs {
  private final String program;
  private final Map<String, String> values;
  private final Map<String, String> env;
  private final String envPrefix;

  private ExampleArgs(String program, Map<String, String> values, Map<String, String> env, String envPrefix) {
    this.program = program;
    this.values = values;
    this.env = env;
    this.envPrefix = envPrefix;
  }

  /**
   * Parses {@code --name value} pairs.
   *
   * @param program the program's name, for messages
   * @param args the command line
   * @param env the environment
   * @param envPrefix the prefix of environment variables, such as {@code EDGE_AGENT}
   * @param known the option names the program accepts, without dashes
   * @return the options
   * @throws IllegalArgumentException for an unknown option or one without a value
   */
  public static ExampleArgs parse(String program, String[] args, Map<String, String> env, String envPrefix,
      Set<String> known) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !known.contains(a.substring(2))) {
        throw new IllegalArgumentException(program + ": unknown option '" + a + "'; known: --"
            + String.join(", --", known.stream().sorted().toList()));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(program + ": option '" + a + "' needs a value");
      }
      values.put(a.substring(2), args[++i]);
    }
    return new ExampleArgs(program, values, Map.copyOf(env), envPrefix);
  }

  /**
   * Returns an option's value from the command line or the environment.
   *
   * @param name the option name, without dashes
   * @return the value, if given
   */
  public Optional<String> get(String name) {
    String v = values.get(name);
    if (v == null) {
      v = env.get(envPrefix + "_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
    return Optional.ofNullable(v);
  }

  /**
   * Returns an option's value or a default.
   *
   * @param name the option name
   * @param defaultValue the default
   * @return the value
   */
  public String get(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  /**
   * Returns an integer option's value or a default.
   *
   * @param name the option name
   * @param defaultValue the default
   * @return the value
   * @throws IllegalArgumentException if the value is not an integer
   */
  public long getLong(String name, long defaultValue) {
    return get(name).map(v -> {
      try {
        return Long.parseLong(v.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(program + ": --" + name + " must be an integer but was '" + v + "'", e);
      }
    }).orElse(defaultValue);
  }

  /**
   * Returns a decimal option's value or a default.
   *
   * @param name the option name
   * @param defaultValue the default
   * @return the value
   * @throws IllegalArgumentException if the value is not a number
   */
  public double getDouble(String name, double defaultValue) {
    return get(name).map(v -> {
      try {
        return Double.parseDouble(v.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(program + ": --" + name + " must be a number but was '" + v + "'", e);
      }
    }).orElse(defaultValue);
  }
}
