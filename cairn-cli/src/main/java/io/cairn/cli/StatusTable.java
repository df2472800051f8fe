package io.cairn.cli;

import io.cairn.Stats;
import io.cairn.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The per-collection counts table of {@code cairn status} and {@code cairn demo}. */
final class StatusTable {
  /** The statuses shown as columns, in the order work moves through them. */
  static final List<Status> COLUMNS =
      List.of(Status.QUEUED, Status.RUNNING, Status.COMPLETED, Status.ERROR, Status.ABORTED);

  private StatusTable() {}

  /** One JSON object per collection: {"collection", "total", "queued", ..., "aborted"}. */
  static List<Map<String, Object>> json(Map<String, Stats> stats) {
    List<Map<String, Object>> rows = new ArrayList<>();
    stats.forEach((name, s) -> rows.add(jsonRow(name, s)));
    return rows;
  }

  static Map<String, Object> jsonRow(String collection, Stats s) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("collection", collection);
    row.put("total", s.total());
    for (Status st : COLUMNS) {
      row.put(st.label(), s.count(st));
    }
    return row;
  }

  /** The table as lines: a header, one row per collection, and a total row if several. */
  static List<String> render(Map<String, Stats> stats, Output o) {
    List<String[]> cells = new ArrayList<>();
    List<Stats> rowStats = new ArrayList<>();
    String[] header = new String[COLUMNS.size() + 2];
    header[0] = "collection";
    header[1] = "total";
    for (int i = 0; i < COLUMNS.size(); i++) {
      header[i + 2] = COLUMNS.get(i).label();
    }
    Stats sum = Stats.empty();
    for (Map.Entry<String, Stats> e : stats.entrySet()) {
      cells.add(row(e.getKey(), e.getValue()));
      rowStats.add(e.getValue());
      sum = sum.plus(e.getValue());
    }
    if (stats.size() > 1) {
      cells.add(row("(all)", sum));
      rowStats.add(sum);
    }
    int[] width = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      width[c] = header[c].length();
      for (String[] r : cells) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    List<String> lines = new ArrayList<>();
    StringBuilder h = new StringBuilder();
    for (int c = 0; c < header.length; c++) {
      h.append(c == 0 ? "" : "  ")
          .append(c == 0 ? padRight(header[c], width[c]) : padLeft(header[c], width[c]));
    }
    lines.add(o.paint("bold", h.toString()));
    for (int r = 0; r < cells.size(); r++) {
      String[] row = cells.get(r);
      Stats s = rowStats.get(r);
      StringBuilder line = new StringBuilder();
      line.append(o.paint("bold", padRight(row[0], width[0])));
      line.append("  ").append(padLeft(row[1], width[1]));
      for (int i = 0; i < COLUMNS.size(); i++) {
        Status st = COLUMNS.get(i);
        String style = s.count(st) == 0 ? "faint" : Output.styleOf(st);
        line.append("  ").append(o.paint(style, padLeft(row[i + 2], width[i + 2])));
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static String[] row(String name, Stats s) {
    String[] r = new String[COLUMNS.size() + 2];
    r[0] = name;
    r[1] = Long.toString(s.total());
    for (int i = 0; i < COLUMNS.size(); i++) {
      r[i + 2] = Long.toString(s.count(COLUMNS.get(i)));
    }
    return r;
  }

  private static String padLeft(String s, int w) {
    return " ".repeat(Math.max(0, w - s.length())) + s;
  }

  private static String padRight(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
