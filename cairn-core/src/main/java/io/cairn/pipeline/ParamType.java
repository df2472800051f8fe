package io.cairn.pipeline;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The types a task parameter may have; values parse from command-line text. */
public enum ParamType {
  STRING,
  INT,
  LONG,
  DOUBLE,
  BOOLEAN,
  /** An ISO date, 2024-01-31; stored as that text. */
  DATE;

  /**
   * Parses command-line text.
   *
   * @throws IllegalArgumentException naming the parameter, the text and the type
   */
  public Object parse(String name, String text) {
    try {
      switch (this) {
        case STRING:
          return text;
        case INT:
          return Integer.parseInt(text.trim());
        case LONG:
          return Long.parseLong(text.trim());
        case DOUBLE:
          return Double.parseDouble(text.trim());
        case BOOLEAN:
          String t = text.trim().toLowerCase(Locale.ROOT);
          if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
          }
          throw new IllegalArgumentException();
        case DATE:
          return LocalDate.parse(text.trim()).toString();
        default:
          throw new IllegalStateException(name());
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "parameter '" + name + "': '" + text + "' is not a " + label(), e);
    }
  }

  /** Checks a Java value given through the API, converting compatible ones. */
  public Object check(String name, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("parameter '" + name + "' must not be null");
    }
    if (value instanceof String s && this != STRING) {
      return parse(name, s);
    }
    boolean ok =
        switch (this) {
          case STRING -> value instanceof String;
          case INT -> value instanceof Integer;
          case LONG -> value instanceof Long || value instanceof Integer;
          case DOUBLE -> value instanceof Number;
          case BOOLEAN -> value instanceof Boolean;
          case DATE -> value instanceof LocalDate;
        };
    if (!ok) {
      throw new IllegalArgumentException(
          "parameter '"
              + name
              + "': "
              + value
              + " ("
              + value.getClass().getSimpleName()
              + ") is not a "
              + label());
    }
    return switch (this) {
      case LONG -> ((Number) value).longValue();
      case DOUBLE -> ((Number) value).doubleValue();
      case DATE -> value.toString();
      default -> value;
    };
  }

  /** Lower-case name for messages and YAML ("int", "date"). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
