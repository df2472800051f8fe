package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.TaskStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What needs attention when a run ends: per task, the jobs given up on (aborted) and those still
 * failing (error), the first few keys with their one-line errors, what waits behind them (blocked),
 * and the exact commands that retry them after a fix. Read from the store's counts, so a run that
 * has nothing to do still says what is stuck from earlier runs.
 */
final class RunAttention {
  static final int KEYS_SHOWN = 3;
  private static final int ERROR_CHARS = 160;

  /** One task that needs attention. */
  record Task(
      String task,
      String collection,
      long aborted,
      long error,
      long blocked,
      List<Map<String, String>> keys) {}

  /** The tasks needing attention and the commands that retry them. */
  record Report(List<Task> tasks, List<String> retry) {
    boolean isEmpty() {
      return tasks.isEmpty();
    }
  }

  private RunAttention() {}

  /**
   * Reads what needs attention. Counts come from the store's per-status counts; the pipeline's
   * status (which walks links, to count blocked jobs) is read only when something is aborted.
   */
  static Report of(Main main, PipelineSession s) {
    Cairn cairn = s.cairn();
    List<String> known = cairn.collections();
    List<Task> tasks = new ArrayList<>();
    Map<String, Long> blocked = null;
    for (PipelineTask t : s.pipeline().tasks()) {
      String collection = s.pipeline().collectionOf(t.name());
      if (!known.contains(collection)) {
        continue;
      }
      Stats st = cairn.stats(collection);
      long aborted = st.count(Status.ABORTED);
      long error = st.count(Status.ERROR);
      if (aborted == 0 && error == 0) {
        continue;
      }
      if (blocked == null && aborted > 0) {
        blocked = new LinkedHashMap<>();
        for (TaskStatus ts : s.runner().status()) {
          blocked.put(ts.task(), ts.blocked());
        }
      }
      List<Map<String, String>> keys = new ArrayList<>();
      Status shown = aborted > 0 ? Status.ABORTED : Status.ERROR;
      for (String key : cairn.idsByStatus(collection, shown, null, KEYS_SHOWN).items()) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("key", key);
        k.put("error", firstLine(cairn.error(collection, key).orElse("")));
        keys.add(k);
      }
      tasks.add(new Task(t.name(), collection, aborted, error, 0, keys));
    }
    if (blocked != null) {
      Map<String, Long> b = blocked;
      tasks.replaceAll(
          t ->
              new Task(
                  t.task(),
                  t.collection(),
                  t.aborted(),
                  t.error(),
                  b.getOrDefault(t.task(), 0L),
                  t.keys()));
    }
    List<String> retry = new ArrayList<>();
    String cairnCmd = "cairn" + (s.file() == null ? main.homeFlag() : main.homeFlag(s.file()));
    for (Task t : tasks) {
      if (t.aborted() > 0) {
        retry.add(cairnCmd + " reset " + Shell.quote(t.collection()) + " --status aborted");
      }
    }
    if (!tasks.isEmpty()) {
      retry.add(
          cairnCmd
              + " run"
              + (s.file() == null
                  ? " --classpath ... (as before)"
                  : " -f " + Shell.quote(s.file().toString())));
    }
    return new Report(tasks, retry);
  }

  /** The attention section, on stdout after the run's table. */
  static void print(Report r, Output o) {
    if (r.isEmpty()) {
      return;
    }
    o.println("");
    o.println(o.paint("bold", "needs attention:"));
    for (Task t : r.tasks()) {
      StringBuilder head = new StringBuilder("  ").append(o.paint("bold", t.task())).append(": ");
      List<String> parts = new ArrayList<>();
      if (t.aborted() > 0) {
        parts.add(o.paint("magenta", t.aborted() + " aborted"));
      }
      if (t.error() > 0) {
        parts.add(o.paint("red", t.error() + " failing, to be retried"));
      }
      if (t.blocked() > 0) {
        parts.add(t.blocked() + " downstream blocked");
      }
      o.println(head.append(String.join(", ", parts)).toString());
      for (Map<String, String> k : t.keys()) {
        o.println("    " + k.get("key") + "  " + o.paint("faint", k.get("error")));
      }
      long more = (t.aborted() > 0 ? t.aborted() : t.error()) - t.keys().size();
      if (more > 0) {
        o.println(o.paint("faint", "    ... and " + more + " more"));
      }
    }
    if (r.tasks().stream().anyMatch(t -> t.aborted() > 0)) {
      o.println(o.paint("bold", "after a fix, retry the aborted jobs with:"));
    } else {
      o.println(o.paint("bold", "failing jobs are retried with backoff; to go on now:"));
    }
    r.retry().forEach(c -> o.println("  " + c));
  }

  /** {"tasks": [{"task", "collection", "aborted", "error", "blocked", "keys"}], "retry"}. */
  static Map<String, Object> json(Report r) {
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (Task t : r.tasks()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("task", t.task());
      row.put("collection", t.collection());
      row.put("aborted", t.aborted());
      row.put("error", t.error());
      row.put("blocked", t.blocked());
      row.put("keys", t.keys());
      tasks.add(row);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tasks", tasks);
    doc.put("retry", r.retry());
    return doc;
  }

  /** The error's first non-blank line, shortened: a stack trace's message, a script's exit. */
  static String firstLine(String error) {
    for (String line : error.split("\n")) {
      String l = line.strip();
      if (!l.isEmpty()) {
        return l.length() > ERROR_CHARS ? l.substring(0, ERROR_CHARS - 3) + "..." : l;
      }
    }
    return "";
  }
}
