package io.cairn.internal.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The media type of content from its first bytes (magic numbers), else its name's extension. Magic
 * wins: a Parquet file named {@code .csv} is Parquet.
 */
final class MediaTypes {
  static final String ARROW_FILE = "application/vnd.apache.arrow.file";
  static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
  static final String PARQUET = "application/vnd.apache.parquet";
  static final String OCTETS = "application/octet-stream";

  /** How many leading bytes {@link #sniff} looks at. */
  static final int HEAD = 16;

  private MediaTypes() {}

  static String sniff(byte[] head, int n, String name) {
    if (startsWith(head, n, "ARROW1")) {
      return ARROW_FILE;
    }
    if (startsWith(head, n, "PAR1")) {
      return PARQUET;
    }
    // An Arrow IPC stream opens with a continuation marker (0xFFFFFFFF) and a schema message.
    if (n >= 8 && (head[0] & head[1] & head[2] & head[3] & 0xFF) == 0xFF) {
      return ARROW_STREAM;
    }
    if (n >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
      return "application/gzip";
    }
    if (startsWith(head, n, "PK\u0003\u0004")) {
      return "application/zip";
    }
    if (n >= 8 && (head[0] & 0xFF) == 0x89 && startsWith(slice(head, 1, n), n - 1, "PNG")) {
      return "image/png";
    }
    String byName = byExtension(name);
    if (!byName.equals(OCTETS)) {
      return byName;
    }
    int i = 0;
    while (i < n && Character.isWhitespace(head[i])) {
      i++;
    }
    if (i < n && (head[i] == '{' || head[i] == '[')) {
      return "application/json";
    }
    return OCTETS;
  }

  static String byExtension(String name) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    String ext = dot < 0 ? "" : lower.substring(dot + 1);
    return switch (ext) {
      case "csv" -> "text/csv";
      case "tsv" -> "text/tab-separated-values";
      case "json" -> "application/json";
      case "jsonl", "ndjson" -> "application/x-ndjson";
      case "txt", "log" -> "text/plain";
      case "parquet" -> PARQUET;
      case "arrow", "feather" -> ARROW_FILE;
      case "arrows" -> ARROW_STREAM;
      case "yaml", "yml" -> "application/yaml";
      case "gz" -> "application/gzip";
      case "zip" -> "application/zip";
      default -> OCTETS;
    };
  }

  private static boolean startsWith(byte[] head, int n, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
    if (n < m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (head[i] != m[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] b, int from, int n) {
    return java.util.Arrays.copyOfRange(b, from, Math.max(from, n));
  }
}
