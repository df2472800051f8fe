package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.spi.ChangePage;
import io.cairn.spi.StoredResource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code cairn status --watch}: the status table, kept current by following the home's change
 * cursor (never by rescanning): each tick reads what changed since the last one, refreshes the
 * counts of the collections it touched (O(1) each), and shows per collection what finished per
 * second. On a terminal the table is redrawn in place; otherwise one plain line per tick in which
 * something changed, for logs.
 */
final class StatusWatch {
  private static final int PAGE = 4_096;

  /** Changes read per tick at most, so a very busy home still redraws on time. */
  private static final int MAX_PER_TICK = 200_000;

  private final CairnClient client;
  private final Output o;
  private final boolean interactive;
  private final long tickMillis;
  private final Map<String, Stats> stats = new TreeMap<>();
  private long cursor;
  private int drawnLines;

  StatusWatch(CairnClient client, Output o, boolean interactive, long tickMillis) {
    this.client = client;
    this.o = o;
    this.interactive = interactive;
    this.tickMillis = tickMillis;
  }

  /** Watches until the thread is interrupted (Ctrl-C). */
  void run() {
    cursor = client.changeCursor();
    stats.putAll(client.stats());
    long start = System.nanoTime();
    if (interactive) {
      draw(Map.of(), 0, 0);
    } else {
      o.println(plainStart());
    }
    long last = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(tickMillis);
      } catch (InterruptedException e) {
        return;
      }
      Map<String, Long> done = new LinkedHashMap<>();
      long changes = 0;
      ChangePage page;
      do {
        page = client.changesSince(cursor, PAGE);
        cursor = page.cursor();
        for (StoredResource r : page.resources()) {
          changes++;
          long finished =
              r.status() == Status.COMPLETED
                      || r.status() == Status.ERROR
                      || r.status() == Status.ABORTED
                  ? 1
                  : 0;
          done.merge(r.collection(), finished, Long::sum);
        }
      } while (page.resources().size() == PAGE && changes < MAX_PER_TICK);
      long now = System.nanoTime();
      double seconds = Math.max(1e-3, (now - last) / 1e9);
      last = now;
      for (String c : done.keySet()) {
        stats.put(c, client.stats(c));
      }
      if (interactive) {
        draw(done, changes, seconds);
      } else if (changes > 0) {
        o.println(plainLine(done, changes, seconds, (now - start) / 1e9));
      }
    }
  }

  private String plainStart() {
    Stats all = Stats.empty();
    for (Stats s : stats.values()) {
      all = all.plus(s);
    }
    return "watching "
        + client.home()
        + ": "
        + stats.size()
        + " collections, "
        + all.count(Status.COMPLETED)
        + "/"
        + all.total()
        + " completed";
  }

  /** {@code watch 3 s: pages 120/500 done (+40, 40.0/s), thumbs 3/3 done (+1, 1.0/s)}. */
  private String plainLine(Map<String, Long> done, long changes, double seconds, double since) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "watch %.0f s:", since));
    int i = 0;
    for (Map.Entry<String, Long> e : done.entrySet()) {
      Stats s = stats.get(e.getKey());
      sb.append(i++ == 0 ? " " : ", ")
          .append(e.getKey())
          .append(' ')
          .append(s.count(Status.COMPLETED))
          .append('/')
          .append(s.total())
          .append(" done (+")
          .append(e.getValue())
          .append(String.format(Locale.ROOT, ", %.1f/s)", e.getValue() / seconds));
    }
    sb.append(String.format(Locale.ROOT, "; %d changes", changes));
    return sb.toString();
  }

  private void draw(Map<String, Long> done, long changes, double seconds) {
    List<String> lines = new ArrayList<>(StatusTable.render(stats, o));
    StringBuilder rates = new StringBuilder();
    for (Map.Entry<String, Long> e : done.entrySet()) {
      if (e.getValue() > 0) {
        rates
            .append(rates.length() == 0 ? "finished/s: " : ", ")
            .append(e.getKey())
            .append(' ')
            .append(String.format(Locale.ROOT, "%.1f", e.getValue() / seconds));
      }
    }
    lines.add(
        o.paint(
            "faint",
            (rates.length() == 0 ? "nothing finished" : rates.toString())
                + String.format(
                    Locale.ROOT, " · %.0f changes/s · Ctrl-C stops", changes / seconds)));
    PrintWriter out = o.out();
    StringBuilder sb = new StringBuilder();
    if (drawnLines > 0) {
      sb.append("\u001b[").append(drawnLines).append('A');
    }
    for (String l : lines) {
      sb.append('\r').append("\u001b[2K").append(l).append('\n');
    }
    out.print(sb);
    out.flush();
    drawnLines = lines.size();
  }
}
