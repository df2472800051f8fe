package io.cairn.cli;

import io.cairn.pipeline.RunListener;
import io.cairn.pipeline.TaskProgress;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A pipeline run's live progress on stderr. On a terminal: one line per task, redrawn in place
 * about ten times a second (task, done / total, running, failed, aborted, jobs/s, ETA). Elsewhere
 * (CI logs, pipes, tests): one plain line every {@link #PLAIN_EVERY_MILLIS}, never a cursor
 * movement or carriage return, so logs stay readable.
 *
 * <p>Done counts jobs completed before the run too, and total is the task's input as far as the run
 * has seen it, so it grows while upstream jobs add keys. The rate is over the last {@link
 * #RATE_WINDOW_NANOS}, so the ETA follows a run that speeds up or slows down.
 */
final class RunProgress implements RunListener, AutoCloseable {
  static final long PLAIN_EVERY_MILLIS = 5_000;
  static final long RATE_WINDOW_NANOS = 10_000_000_000L;
  private static final String CLEAR_LINE = "\u001b[2K";

  private final boolean interactive;
  private final PrintStream terminal;
  private final PrintWriter log;
  private final Output o;
  private final int columns;
  private final long startNanos = System.nanoTime();

  // guarded by this: the run's scheduling thread reports, the command's thread closes
  private long lastPlainNanos = startNanos;
  private int drawnLines;
  private List<TaskProgress> last = List.of();
  private final Map<String, ArrayDeque<long[]>> samples = new HashMap<>(); // {nanos, completed}
  private boolean closed;

  RunProgress(Main main, Output o) {
    this.interactive = main.interactive();
    this.terminal = main.rawErr();
    this.log = o.err();
    this.o = o;
    this.columns = terminalColumns();
  }

  @Override
  public synchronized void onProgress(List<TaskProgress> tasks) {
    if (closed) {
      return;
    }
    last = List.copyOf(tasks);
    long now = System.nanoTime();
    for (TaskProgress t : last) {
      ArrayDeque<long[]> q = samples.computeIfAbsent(t.task(), k -> new ArrayDeque<>());
      q.addLast(new long[] {now, t.completed()});
      while (q.size() > 2 && now - q.peekFirst()[0] > RATE_WINDOW_NANOS) {
        q.removeFirst();
      }
    }
    if (interactive) {
      redraw();
    } else if ((now - lastPlainNanos) / 1_000_000 >= PLAIN_EVERY_MILLIS) {
      lastPlainNanos = now;
      log.println(plainLine(last, seconds(), this::rate));
      log.flush();
    }
  }

  /** A line about the run as a whole, printed above the progress lines (or as a log line). */
  @Override
  public synchronized void onNote(String line) {
    if (closed) {
      return;
    }
    if (interactive) {
      StringBuilder sb = new StringBuilder();
      if (drawnLines > 0) {
        sb.append("\u001b[").append(drawnLines).append('A');
      }
      sb.append('\r').append(CLEAR_LINE).append(o.paint("yellow", line)).append('\n');
      for (int i = 1; i < drawnLines; i++) {
        sb.append(CLEAR_LINE).append('\n'); // the old progress lines below, redrawn next
      }
      if (drawnLines > 1) {
        sb.append("\u001b[").append(drawnLines - 1).append('A');
      }
      drawnLines = 0;
      terminal.print(sb);
      if (!last.isEmpty()) {
        redraw();
      }
      terminal.flush();
    } else {
      log.println(line);
      log.flush();
    }
  }

  /** Draws the final counts once more (on a terminal) and stops drawing. */
  @Override
  public synchronized void close() {
    if (!closed) {
      if (interactive && !last.isEmpty()) {
        redraw();
      }
      closed = true;
    }
  }

  /**
   * One line for logs: {@code run 12 s: split 36/36, count 120/140 (4 running, 2 failed) 10.0/s ETA
   * 2.0 s}; {@code rate} gives a task's jobs per second.
   */
  static String plainLine(
      List<TaskProgress> tasks, double seconds, ToDoubleFunction<TaskProgress> rate) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "run %.0f s:", seconds));
    for (int i = 0; i < tasks.size(); i++) {
      TaskProgress t = tasks.get(i);
      sb.append(i == 0 ? " " : ", ").append(t.task()).append(' ');
      sb.append(t.done()).append('/').append(t.total());
      StringBuilder extra = new StringBuilder();
      append(extra, t.running(), "running");
      append(extra, t.waiting(), "waiting");
      append(extra, t.failed(), "failed");
      append(extra, t.aborted(), "aborted");
      if (extra.length() > 0) {
        sb.append(" (").append(extra).append(')');
      }
      if (t.done() < t.total() && t.launched() > 0) {
        double r = rate.applyAsDouble(t);
        sb.append(String.format(Locale.ROOT, " %.1f/s ETA %s", r, eta(t, r)));
      }
    }
    return sb.toString();
  }

  /** Time left at this rate: "4.2 s", "3 min 05 s"; "?" before anything completed. */
  static String eta(TaskProgress t, double rate) {
    long left = Math.max(0, t.total() - t.done());
    if (left == 0) {
      return "0 s";
    }
    return rate <= 0 ? "?" : Durations.format((long) (left / rate * 1000));
  }

  /** Jobs per second over the last {@link #RATE_WINDOW_NANOS}, or the whole run's before that. */
  private double rate(TaskProgress t) {
    ArrayDeque<long[]> q = samples.get(t.task());
    if (q != null && q.size() >= 2) {
      long[] first = q.peekFirst();
      long[] lastSample = q.peekLast();
      long nanos = lastSample[0] - first[0];
      if (nanos >= 1_000_000_000L) {
        return (lastSample[1] - first[1]) / (nanos / 1e9);
      }
    }
    return t.completed() / Math.max(seconds(), 0.001);
  }

  private static void append(StringBuilder sb, long n, String what) {
    if (n > 0) {
      sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(what);
    }
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void redraw() {
    StringBuilder sb = new StringBuilder();
    if (drawnLines > 0) {
      sb.append("\u001b[").append(drawnLines).append('A');
    }
    int nameWidth = last.stream().mapToInt(t -> t.task().length()).max().orElse(4);
    int numWidth =
        Math.max(
            3,
            Long.toString(last.stream().mapToLong(TaskProgress::total).max().orElse(0)).length());
    for (TaskProgress t : last) {
      sb.append('\r').append(CLEAR_LINE).append(line(t, nameWidth, numWidth, rate(t))).append('\n');
    }
    drawnLines = last.size();
    terminal.print(sb);
    terminal.flush();
  }

  private String line(TaskProgress t, int nameWidth, int numWidth, double jobsPerSecond) {
    String name = String.format(Locale.ROOT, "%-" + nameWidth + "s", t.task());
    String done = pad(t.done(), numWidth) + "/" + pad(t.total(), numWidth) + " done";
    String running = String.format(Locale.ROOT, "%3d running", t.running());
    String failed = String.format(Locale.ROOT, "%3d failed", t.failed());
    String aborted = String.format(Locale.ROOT, "%3d aborted", t.aborted());
    String rate = String.format(Locale.ROOT, "%6.1f jobs/s", jobsPerSecond);
    String eta = t.done() < t.total() ? "ETA " + eta(t, jobsPerSecond) : "";
    String plain = String.join("  ", name, done, running, failed, aborted, rate, eta);
    if (plain.length() >= columns) {
      return plain.substring(0, columns - 1); // a wrapped line would break the redraw
    }
    return String.join(
        "  ",
        o.paint("bold", name),
        o.paint(t.completed() > 0 ? "green" : null, done),
        o.paint(t.running() > 0 ? "yellow" : "faint", running),
        o.paint(t.failed() > 0 ? "red" : "faint", failed),
        o.paint(t.aborted() > 0 ? "magenta" : "faint", aborted),
        rate,
        eta);
  }

  private static String pad(long n, int width) {
    String s = Long.toString(n);
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }

  private static int terminalColumns() {
    try {
      String c = System.getenv("COLUMNS");
      return c == null ? 80 : Math.max(20, Integer.parseInt(c.trim()));
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
