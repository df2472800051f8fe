package io.cairn.cli;

import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.TaskProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run did, as {@code cairn run} and {@code cairn demo} print it. */
final class RunReport {
  private RunReport() {}

  /**
   * {"pipeline", "elapsedMillis", "launched", "completed", "failed", "aborted", "interrupted",
   * "tasks": [{"task", "launched", "completed", "failed", "aborted", "done", "total"}], "warnings":
   * [...], "attention": {"tasks": [...], "retry": [...]}}.
   */
  static Map<String, Object> json(String pipeline, RunSummary r, boolean interrupted) {
    return json(pipeline, r, interrupted, null);
  }

  /** As {@link #json(String, RunSummary, boolean)}, with "attention" when given. */
  static Map<String, Object> json(
      String pipeline, RunSummary r, boolean interrupted, RunAttention.Report attention) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("pipeline", pipeline);
    doc.put("elapsedMillis", r.elapsed().toMillis());
    doc.put("launched", r.launched());
    doc.put("completed", r.completed());
    doc.put("failed", r.failed());
    doc.put("aborted", r.aborted());
    doc.put("interrupted", interrupted);
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (TaskProgress t : r.tasks()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("task", t.task());
      row.put("launched", t.launched());
      row.put("completed", t.completed());
      row.put("failed", t.failed());
      row.put("aborted", t.aborted());
      row.put("done", t.done());
      row.put("total", t.total());
      tasks.add(row);
    }
    doc.put("tasks", tasks);
    doc.put("warnings", r.warnings());
    if (attention != null) {
      doc.put("attention", RunAttention.json(attention));
    }
    return doc;
  }

  /** The one-line summary, the table of what each task did, and the warnings (on stderr). */
  static void print(String pipeline, RunSummary r, Output o) {
    print(pipeline, r, o, null);
  }

  /**
   * As {@link #print(String, RunSummary, Output)}, then what needs attention: a run with nothing to
   * do says so when aborted or blocked jobs are why.
   */
  static void print(String pipeline, RunSummary r, Output o, RunAttention.Report attention) {
    StringBuilder head = new StringBuilder(o.paint("bold", pipeline)).append(": ");
    if (r.launched() == 0) {
      head.append(o.paint("faint", "nothing to do"));
      if (attention != null && !attention.isEmpty()) {
        long aborted = attention.tasks().stream().mapToLong(RunAttention.Task::aborted).sum();
        long blocked = attention.tasks().stream().mapToLong(RunAttention.Task::blocked).sum();
        head.append(", but ")
            .append(o.paint("magenta", aborted + " aborted"))
            .append(blocked > 0 ? " and " + blocked + " blocked behind them" : "")
            .append(" (see below)");
      }
    } else {
      head.append(o.paint("green", r.completed() + " completed"));
      head.append(", ")
          .append(o.paint(TextTable.countStyle(r.aborted(), "magenta"), r.aborted() + " aborted"));
      head.append(" of ").append(r.launched()).append(" launched");
      if (r.failed() > 0) {
        head.append(" (")
            .append(o.paint("red", r.failed() + " failed attempt" + (r.failed() == 1 ? "" : "s")))
            .append(')');
      }
    }
    head.append(" in ").append(Durations.format(r.elapsed().toMillis()));
    o.println(head.toString());
    if (r.launched() > 0) {
      o.println("");
      TextTable table = new TextTable("task", "launched#", "completed#", "failed#", "aborted#");
      for (TaskProgress t : r.tasks()) {
        table.styledRow(
            new String[] {
              null,
              TextTable.countStyle(t.launched(), null),
              TextTable.countStyle(t.completed(), "green"),
              TextTable.countStyle(t.failed(), "red"),
              TextTable.countStyle(t.aborted(), "magenta")
            },
            t.task(),
            t.launched(),
            t.completed(),
            t.failed(),
            t.aborted());
      }
      table.render(o).forEach(o::println);
    }
    if (attention != null) {
      RunAttention.print(attention, o);
    }
    for (String w : r.warnings()) {
      o.note(o.paint("yellow", "warning: ") + ErrorHandler.oneLine(w));
    }
  }
}
