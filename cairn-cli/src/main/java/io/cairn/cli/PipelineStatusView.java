package io.cairn.cli;

import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import io.cairn.pipeline.TaskStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A pipeline's status: a table of its tasks' jobs, and one of its links' keys. */
final class PipelineStatusView {
  private PipelineStatusView() {}

  /** {"home", "pipeline", "file", "preview", "tasks": [{"task", "collection", counts...}]}. */
  static Map<String, Object> json(PipelineSession s, List<TaskStatus> tasks) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("home", s.preview() ? null : s.home().toString());
    doc.put("pipeline", s.pipeline().name());
    doc.put("file", s.file().toString());
    doc.put("preview", s.preview());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TaskStatus t : tasks) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("task", t.task());
      row.putAll(StatusTable.jsonRow(t.collection(), t.jobs()));
      row.put("ready", t.ready());
      row.put("blocked", t.blocked());
      Map<String, Object> links = new LinkedHashMap<>();
      for (Link l : s.pipeline().requireTask(t.task()).links()) {
        links.put(l.name(), t.links().getOrDefault(l.name(), 0L));
      }
      row.put("links", links);
      rows.add(row);
    }
    doc.put("tasks", rows);
    return doc;
  }

  /** The jobs table: task, total, one column per status, ready, blocked. */
  static List<String> jobsTable(List<TaskStatus> tasks, Output o) {
    List<String> cols = new ArrayList<>(List.of("task", "total#"));
    StatusTable.COLUMNS.forEach(st -> cols.add(st.label() + "#"));
    cols.add("ready#");
    cols.add("blocked#");
    TextTable table = new TextTable(cols.toArray(String[]::new));
    for (TaskStatus t : tasks) {
      Stats s = t.jobs();
      List<Object> cells = new ArrayList<>(List.of(t.task(), s.total()));
      List<String> styles = new ArrayList<>();
      styles.add(null);
      styles.add(null);
      for (Status st : StatusTable.COLUMNS) {
        cells.add(s.count(st));
        styles.add(TextTable.countStyle(s.count(st), Output.styleOf(st)));
      }
      cells.add(t.ready());
      styles.add(TextTable.countStyle(t.ready(), "cyan"));
      cells.add(t.blocked());
      styles.add(TextTable.countStyle(t.blocked(), "yellow"));
      table.styledRow(styles.toArray(String[]::new), cells.toArray());
    }
    return table.render(o);
  }

  /** The links table: task, link, kind, keys, repository. */
  static List<String> linksTable(Pipeline p, List<TaskStatus> tasks, Output o) {
    TextTable table = new TextTable("task", "link", "kind", "keys#", "repository");
    for (TaskStatus t : tasks) {
      PipelineTask task = p.requireTask(t.task());
      for (Link l : task.links()) {
        long n = t.links().getOrDefault(l.name(), 0L);
        table.styledRow(
            new String[] {null, null, "faint", TextTable.countStyle(n, null), "faint"},
            t.task(),
            l.name(),
            l.kind().name().toLowerCase(Locale.ROOT),
            n,
            l.repository().describe());
      }
    }
    return table.render(o);
  }

  /**
   * Both tables, a blank line between (the links table only when some task has links), then on
   * stderr the names the links met that are not valid job keys.
   */
  static void print(PipelineSession s, List<TaskStatus> tasks, Output o) {
    jobsTable(tasks, o).forEach(o::println);
    if (s.pipeline().tasks().stream().anyMatch(t -> !t.links().isEmpty())) {
      o.println("");
      linksTable(s.pipeline(), tasks, o).forEach(o::println);
    }
    for (String w : invalidKeyWarnings(s.pipeline())) {
      o.note(o.paint("yellow", "warning: ") + ErrorHandler.oneLine(w));
    }
  }

  /** What the links' repositories met while listing that breaks the job-key rule. */
  static List<String> invalidKeyWarnings(Pipeline p) {
    Set<Repository> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<String> warnings = new ArrayList<>();
    for (PipelineTask t : p.tasks()) {
      for (Link l : t.links()) {
        if (seen.add(l.repository())) {
          for (String bad : l.repository().invalidKeys()) {
            warnings.add(
                l.repository().describe()
                    + ": '"
                    + bad
                    + "' is not a valid job key ("
                    + JobKeys.RULE
                    + "); it is left out");
          }
        }
      }
    }
    return warnings;
  }
}
