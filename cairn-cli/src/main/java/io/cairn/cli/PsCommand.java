package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.spi.StoredResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "ps",
    description =
        "What is running now: collection (or pipeline task), key, owner host and pid, attempt,"
            + " how long it has run, and when its lease expires.",
    sortOptions = false,
    footerHeading = "%n",
    footer = {
      "A lease that expired means its runner stopped renewing it (killed, hung, or cut off):"
          + " the next cairn run or worker takes the job over.",
      "Reads only: nothing is started, created or changed."
    })
final class PsCommand implements Callable<Integer> {
  static final int DEFAULT_LIMIT = 1_000;

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "1000",
      description = "At most N rows (1 to 100000, default: ${DEFAULT-VALUE}).")
  private int limit;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"home\", \"now\", \"running\": [{\"collection\", \"key\", \"host\","
              + " \"pid\", \"owner\", \"attempt\", \"startedAt\", \"leaseUntil\"}], \"more\"}.")
  private boolean json;

  @Override
  public Integer call() {
    if (limit < 1 || limit > LsCommand.MAX_LIMIT) {
      throw new ParameterException(
          spec.commandLine(), "--limit must be 1 to " + LsCommand.MAX_LIMIT + ", got " + limit);
    }
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      List<StoredResource> rows = new ArrayList<>();
      boolean more = false;
      // the stats say which collections have anything running, so idle ones cost no query
      for (Map.Entry<String, Stats> e : cairn.stats().entrySet()) {
        if (e.getValue().count(Status.RUNNING) == 0) {
          continue;
        }
        String cursor = null;
        do {
          // one row past the limit tells whether there are more
          int want = Math.min(LsCommand.MAX_LIMIT, limit - rows.size() + 1);
          Page<StoredResource> page = cairn.running(e.getKey(), cursor, want);
          rows.addAll(page.items());
          cursor = page.hasMore() ? page.nextCursor() : null;
        } while (cursor != null && rows.size() <= limit);
        if (rows.size() > limit) {
          break;
        }
      }
      if (rows.size() > limit) {
        more = true;
        rows = rows.subList(0, limit);
      }
      long now = System.currentTimeMillis();
      if (json) {
        o.json(json(cairn, rows, now, more));
      } else if (rows.isEmpty()) {
        o.note("nothing running in " + cairn.home());
      } else {
        print(rows, now, o);
      }
      if (more && !json) {
        o.note(
            o.paint(
                "faint",
                "more: cairn"
                    + main.homeFlag()
                    + " ps --limit "
                    + Math.min(LsCommand.MAX_LIMIT, limit * 10L)));
      }
    }
    return ErrorHandler.OK;
  }

  private static Map<String, Object> json(
      CairnClient cairn, List<StoredResource> rows, long now, boolean more) {
    List<Map<String, Object>> running = new ArrayList<>();
    for (StoredResource r : rows) {
      Owner owner = Owner.parse(r.owner());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("collection", r.collection());
      row.put("key", r.key());
      row.put("host", owner.host());
      row.put("pid", owner.pid());
      row.put("owner", r.owner());
      row.put("attempt", r.attempts());
      row.put("startedAt", Instant.ofEpochMilli(r.startedAt()).toString());
      row.put("leaseUntil", Instant.ofEpochMilli(r.leaseUntil()).toString());
      running.add(row);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("home", cairn.home().toString());
    doc.put("now", Instant.ofEpochMilli(now).toString());
    doc.put("running", running);
    doc.put("more", more);
    return doc;
  }

  private static void print(List<StoredResource> rows, long now, Output o) {
    TextTable table =
        new TextTable("collection", "key", "host", "pid#", "attempt#", "running", "lease");
    for (StoredResource r : rows) {
      Owner owner = Owner.parse(r.owner());
      long left = r.leaseUntil() - now;
      String lease =
          left >= 0
              ? "expires in " + Durations.format(left)
              : "expired " + Durations.format(-left) + " ago";
      table.styledRow(
          new String[] {null, null, null, null, null, null, left >= 0 ? null : "red"},
          r.collection(),
          r.key(),
          owner.host(),
          owner.pid() < 0 ? "" : owner.pid(),
          r.attempts(),
          r.startedAt() > 0 ? Durations.format(Math.max(0, now - r.startedAt())) : "",
          lease);
    }
    table.render(o).forEach(o::println);
  }

  /** An owner id {@code host:pid:start:instance}; other shapes show whole, pid -1. */
  record Owner(String host, long pid) {
    static Owner parse(String owner) {
      if (owner == null) {
        return new Owner("", -1);
      }
      String[] parts = owner.split(":", -1);
      if (parts.length >= 2) {
        try {
          return new Owner(parts[0], Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
          // not an engine's id: show it whole
        }
      }
      return new Owner(owner, -1);
    }
  }
}
