package io.cairn.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table for the pipeline commands: a bold header, the first column bold and
 * left-aligned, numbers right-aligned, other text left-aligned; a style per cell, applied after
 * padding so colours never shift the columns.
 */
final class TextTable {
  private final String[] header;
  private final boolean[] numeric;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String[]> styles = new ArrayList<>();

  /** Columns by name; a name ending in {@code #} is numeric (right-aligned; the # is dropped). */
  TextTable(String... columns) {
    header = new String[columns.length];
    numeric = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      numeric[i] = columns[i].endsWith("#");
      header[i] = numeric[i] ? columns[i].substring(0, columns[i].length() - 1) : columns[i];
    }
  }

  /** A row of cells (null shows as empty), unstyled. */
  TextTable row(Object... cells) {
    return styledRow(new String[cells.length], cells);
  }

  /** A row with a style per cell (null: none). */
  TextTable styledRow(String[] cellStyles, Object... cells) {
    if (cells.length != header.length || cellStyles.length != header.length) {
      throw new IllegalArgumentException(
          "row of " + cells.length + " cells for " + header.length + " columns");
    }
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = cells[i] == null ? "" : ErrorHandler.oneLine(cells[i].toString());
    }
    rows.add(r);
    styles.add(cellStyles.clone());
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The style of a count: faint when zero, else {@code style}. */
  static String countStyle(long n, String style) {
    return n == 0 ? "faint" : style;
  }

  List<String> render(Output o) {
    int[] width = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      width[c] = header[c].length();
      for (String[] r : rows) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(o.paint("bold", line(header, width, null, o)));
    for (int i = 0; i < rows.size(); i++) {
      lines.add(line(rows.get(i), width, styles.get(i), o));
    }
    return lines;
  }

  private String line(String[] cells, int[] width, String[] cellStyles, Output o) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      boolean last = c == cells.length - 1;
      String pad = " ".repeat(Math.max(0, width[c] - cells[c].length()));
      String text = numeric[c] ? pad + cells[c] : last ? cells[c] : cells[c] + pad;
      String style =
          cellStyles == null ? null : c == 0 && cellStyles[c] == null ? "bold" : cellStyles[c];
      sb.append(c == 0 ? "" : "  ").append(cellStyles == null ? text : o.paint(style, text));
    }
    return sb.toString();
  }
}
