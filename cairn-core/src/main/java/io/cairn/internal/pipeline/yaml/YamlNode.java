package io.cairn.internal.pipeline.yaml;

import io.cairn.pipeline.PipelineYamlException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value that remembers where it was written: its file, 1-based line and field path
 * ({@code tasks.split.inputs.doc}), so every error can point at it. A mapping's entries keep file
 * order; a mapping value's line is its key's line (where people look for it).
 */
public final class YamlNode {
  /** What a node holds. */
  public enum Kind {
    MAP("a mapping"),
    LIST("a list"),
    SCALAR("a value"),
    NULL("nothing");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private final String file;
  private final int line;
  private final String path;
  private final Kind kind;
  private final String text;
  private final Map<String, YamlNode> entries;
  private final List<YamlNode> items;

  private YamlNode(
      String file,
      int line,
      String path,
      Kind kind,
      String text,
      Map<String, YamlNode> entries,
      List<YamlNode> items) {
    this.file = file;
    this.line = line;
    this.path = path;
    this.kind = kind;
    this.text = text;
    this.entries = entries;
    this.items = items;
  }

  static YamlNode scalar(String file, int line, String path, String text) {
    return new YamlNode(file, line, path, Kind.SCALAR, text, null, null);
  }

  static YamlNode nil(String file, int line, String path) {
    return new YamlNode(file, line, path, Kind.NULL, null, null, null);
  }

  static YamlNode map(String file, int line, String path, LinkedHashMap<String, YamlNode> entries) {
    return new YamlNode(
        file, line, path, Kind.MAP, null, Collections.unmodifiableMap(entries), null);
  }

  static YamlNode list(String file, int line, String path, List<YamlNode> items) {
    return new YamlNode(file, line, path, Kind.LIST, null, null, List.copyOf(items));
  }

  public int line() {
    return line;
  }

  /** The field path, e.g. {@code tasks.split.max_tries}; "" for the document. */
  public String path() {
    return path;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isNull() {
    return kind == Kind.NULL;
  }

  /** An error at this node. */
  public PipelineYamlException error(String detail) {
    return new PipelineYamlException(file, line, path.isEmpty() ? null : path, detail);
  }

  /** The entries of a mapping, in file order. */
  public Map<String, YamlNode> entries() {
    expect(Kind.MAP);
    return entries;
  }

  /** The entries, or none when this node is null (an optional mapping left empty). */
  public Map<String, YamlNode> entriesOrEmpty() {
    return isNull() ? Map.of() : entries();
  }

  /** A mapping's entry, or null when absent or written as null. */
  public YamlNode get(String key) {
    YamlNode n = entries().get(key);
    return n == null || n.isNull() ? null : n;
  }

  /** A mapping's entry that must be there. */
  public YamlNode require(String key) {
    YamlNode n = get(key);
    if (n == null) {
      throw error("missing '" + key + "'");
    }
    return n;
  }

  /** Fails on a key of a mapping that is not one of {@code allowed}. */
  public void allowKeys(Collection<String> allowed, String what) {
    for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw e.getValue()
            .error(
                "unknown key '"
                    + e.getKey()
                    + "'; allowed"
                    + what
                    + ": "
                    + String.join(", ", allowed));
      }
    }
  }

  /** The items of a list; a single value counts as a list of one. */
  public List<YamlNode> items() {
    if (kind == Kind.SCALAR) {
      return List.of(this);
    }
    expect(Kind.LIST);
    return items;
  }

  /** A scalar's text (numbers and booleans as written). */
  public String text() {
    expect(Kind.SCALAR);
    return text;
  }

  /** A whole number. */
  public int intValue() {
    String t = text().strip();
    try {
      return Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw error("expected a whole number, got '" + t + "'");
    }
  }

  /** A number. */
  public double doubleValue() {
    String t = text().strip();
    try {
      double d = Double.parseDouble(t);
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error("expected a number, got '" + t + "'");
  }

  private void expect(Kind wanted) {
    if (kind != wanted) {
      throw error("expected " + wanted.label + ", got " + describe());
    }
  }

  private String describe() {
    return kind == Kind.SCALAR ? "'" + text + "'" : kind.label;
  }
}
