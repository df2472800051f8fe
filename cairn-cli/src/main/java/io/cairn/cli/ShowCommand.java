package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.CorruptDataException;
import io.cairn.Resource;
import io.cairn.Status;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "show",
    description =
        "One resource: status, attempts, who holds it while it runs, times, args, result, error,"
            + " log and paths.",
    sortOptions = false)
final class ShowCommand implements Callable<Integer> {
  static final int MAX_RESULT_LINES = 40;
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Mixin private ResourceRef ref;

  @Option(
      names = "--json",
      description =
          "Print the whole resource as JSON; with several idents or stdin, one compact object a"
              + " line (JSON lines).")
  private boolean json;

  /** One resource, or several (blank line between them; with --json one compact object a line). */
  @Override
  public Integer call() {
    Output o = Output.of(spec);
    List<String> idents = ref.idents(spec, main.rawIn());
    try (CairnClient cairn = main.openClient()) {
      boolean first = true;
      for (String ident : idents) {
        Resource r = read(cairn, ident);
        String logBlob = cairn.logBlobKey(r.collection(), r.ident());
        long now = System.currentTimeMillis();
        // Only a running resource has a holder; a finished one's owner is who last held it.
        Holders.Holder holder =
            r.status() == Status.RUNNING
                ? cairn
                    .stored(r.collection(), r.ident())
                    .filter(s -> s.status() == Status.RUNNING && s.owner() != null)
                    .map(Holders.Holder::of)
                    .orElse(null)
                : null;
        if (json) {
          Map<String, Object> doc = toJson(r);
          doc.put("holder", holder == null ? null : holder.json(now));
          doc.put("logBlob", logBlob);
          if (ref.batch()) {
            o.jsonLine(doc);
          } else {
            o.json(doc);
          }
        } else {
          if (!first) {
            o.println("");
          }
          print(r, holder, now, logBlob, o);
        }
        first = false;
      }
      o.out().flush();
    }
    return ErrorHandler.OK;
  }

  private Resource read(CairnClient cairn, String ident) {
    try {
      return cairn.resource(ref.collection, ident);
    } catch (CorruptDataException e) {
      // Not the user's mistake (exit 2): the stored data is damaged (exit 1).
      throw new CorruptDataException(
          "corrupt data: "
              + ref.name(ident)
              + ": "
              + e.getMessage()
              + " (cairn"
              + main.homeFlag()
              + " check lists every damaged value)",
          e);
    }
  }

  static Map<String, Object> toJson(Resource r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("collection", r.collection());
    doc.put("ident", r.ident());
    doc.put("status", r.status().label());
    doc.put("attempts", r.attempts());
    doc.put("queuedAt", iso(r.queuedTime()));
    doc.put("startedAt", iso(r.startTime()));
    doc.put("endedAt", iso(r.endTime()));
    doc.put("durationMillis", r.durationMillis() < 0 ? null : r.durationMillis());
    doc.put("args", r.args());
    doc.put("result", r.result());
    doc.put("error", r.error());
    doc.put("owner", r.owner());
    Map<String, Object> paths = new LinkedHashMap<>();
    paths.put("base", r.paths().base().toString());
    paths.put("log", r.paths().log().toString());
    paths.put("storage", r.paths().storage().toString());
    doc.put("paths", paths);
    return doc;
  }

  private void print(Resource r, Holders.Holder holder, long now, String logBlob, Output o) {
    o.println(o.paint("bold", r.collection() + "/" + r.ident()) + "  " + o.status(r.status()));
    if (!r.status().isStored()) {
      o.note("never asked for: 'cairn why' says what a fetch would do");
    }
    field(o, "attempts", Integer.toString(r.attempts()));
    if (holder != null) {
      field(o, "held by", holder.describe(now));
    }
    if (r.startTime() > 0) {
      String took =
          r.durationMillis() >= 0 ? "  (" + Durations.format(r.durationMillis()) + ")" : "";
      field(o, "started", local(r.startTime()));
      field(o, "ended", (r.endTime() > 0 ? local(r.endTime()) : "-") + took);
    } else if (r.queuedTime() > 0) {
      field(o, "queued", local(r.queuedTime()));
    }
    field(o, "args", Output.toJson(r.args()).replaceAll("\\s*\\n\\s*", " "));
    if (r.result() != null) {
      List<String> lines = Output.toJson(r.result()).lines().toList();
      int shown = Math.min(lines.size(), MAX_RESULT_LINES);
      for (int i = 0; i < shown; i++) {
        field(o, i == 0 ? "result" : "", lines.get(i));
      }
      if (lines.size() > shown) {
        field(
            o, "", o.paint("faint", "... " + (lines.size() - shown) + " more lines (show --json)"));
      }
    }
    if (r.error() != null) {
      String first = r.error().lines().findFirst().orElse("").strip();
      field(o, "error", o.paint("red", first));
      field(
          o,
          "",
          o.paint(
              "faint",
              "full trace: cairn"
                  + main.homeFlag()
                  + " error "
                  + Shell.quote(r.collection())
                  + " "
                  + Shell.quote(r.ident())));
    }
    field(o, "base", r.paths().base().toString());
    // The published log is shared (any machine with the blob store reads it); the local file only
    // exists while an attempt runs on this machine.
    field(
        o,
        "log",
        logBlob
            + o.paint(
                "faint",
                "  (blob store; cairn"
                    + main.homeFlag()
                    + " log "
                    + Shell.quote(r.collection())
                    + " "
                    + Shell.quote(r.ident())
                    + ")"));
    field(o, "local log", r.paths().log() + o.paint("faint", "  (while an attempt runs here)"));
    field(o, "storage", r.paths().storage().toString());
  }

  private static void field(Output o, String name, String value) {
    o.println("  " + o.paint("faint", String.format("%-10s", name)) + value);
  }

  private static String iso(long millis) {
    return millis > 0 ? Instant.ofEpochMilli(millis).toString() : null;
  }

  private static String local(long millis) {
    return LOCAL_TIME.format(Instant.ofEpochMilli(millis));
  }
}
