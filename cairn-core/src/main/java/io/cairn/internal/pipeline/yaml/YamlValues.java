package io.cairn.internal.pipeline.yaml;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value syntaxes of pipeline files: durations, memory sizes, names. */
final class YamlValues {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,12})\\s*([MGT]?)", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private YamlValues() {}

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 0}, or ISO-8601 ({@code PT30S}). */
  static Duration duration(YamlNode node) {
    String t = node.text().strip();
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw node.error("invalid duration '" + t + "': use 500ms, 30s, 5m, 2h or ISO-8601 (PT30S)");
  }

  /** Memory in MiB: {@code 512} (MiB), {@code 512M}, {@code 2G}, {@code 1T}. */
  static long sizeMb(YamlNode node) {
    String t = node.text().strip();
    Matcher m = SIZE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2).toUpperCase(Locale.ROOT)) {
        case "G" -> n * 1024;
        case "T" -> n * 1024 * 1024;
        default -> n;
      };
    }
    throw node.error("invalid size '" + t + "': use 512 (MiB), 512M or 2G");
  }

  /** A repository name: letters, digits, '_', '.', '-'. */
  static String repositoryName(YamlNode at, String name) {
    if (!NAME.matcher(name).matches()) {
      throw at.error(
          "invalid repository name '"
              + name
              + "': use 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    return name;
  }

  /** An environment variable name. */
  static String envName(YamlNode at, String name) {
    if (!ENV.matcher(name).matches()) {
      throw at.error(
          "invalid environment variable name '"
              + name
              + "': use letters, digits and '_', not starting with a digit");
    }
    return name;
  }
}
