package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Page;
import io.cairn.Status;
import io.cairn.spi.StoredResource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(
    name = "ls",
    description =
        "Idents of a collection with one status, a page at a time; or the keys of a pipeline"
            + " expression.",
    sortOptions = false,
    footerHeading = "%n",
    footer = {
      "EXPR is a set expression over a pipeline: task.link (the keys in that link), task (the"
          + " task's completed jobs), | union, & intersection, - difference, parentheses:"
          + " cairn ls 'split.doc - split'.",
      "The argument is an EXPR when a pipeline file is present (-f FILE or ./cairn.yaml), none"
          + " of --status, --limit, --cursor, --all is given, and it contains one of . | & - ( ) or"
          + " a space, or is the name of one of the pipeline's tasks. Otherwise it is a"
          + " COLLECTION."
    })
final class LsCommand implements Callable<Integer> {
  static final int MAX_LIMIT = 100_000;

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(
      index = "0",
      paramLabel = "COLLECTION|EXPR",
      description = "A collection name, or a pipeline key expression.")
  private String collection;

  @Mixin private PipelineFileOption pipelineFile;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      defaultValue = "completed",
      description = "queued, running, completed, error or aborted (default: ${DEFAULT-VALUE}).")
  private Status status;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "At most N idents (1 to 100000, default: ${DEFAULT-VALUE}).")
  private int limit;

  @Option(
      names = "--cursor",
      paramLabel = "C",
      description = "Continue after the previous page (its cursor is printed on stderr).")
  private String cursor;

  @Option(
      names = "--all",
      description =
          "Every ident with the status, streamed page by page (one per line): no --limit,"
              + " --cursor or --json.")
  private boolean all;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"collection\", \"status\", \"ids\", \"nextCursor\"} (with --status"
              + " running also \"holders\": [{\"ident\", \"host\", \"pid\", \"owner\","
              + " \"since\", \"leaseUntil\", \"leaseExpired\"}]); for an EXPR {\"expression\","
              + " \"keys\"}.")
  private boolean json;

  @Override
  public Integer call() {
    if (mayBeExpression()) {
      Integer done =
          PipelineKeys.listIfExpression(main, pipelineFile, collection, json, Output.of(spec));
      if (done != null) {
        return done;
      }
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ParameterException(
          spec.commandLine(), "--limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
    if (all) {
      return streamAll();
    }
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      // Running resources come with their lease holders (same keys, same cursor).
      Page<StoredResource> running =
          status == Status.RUNNING ? cairn.running(collection, cursor, limit) : null;
      Page<String> page =
          running != null
              ? new Page<>(
                  running.items().stream().map(StoredResource::key).toList(), running.nextCursor())
              : cairn.idsByStatus(collection, status, cursor, limit);
      long now = System.currentTimeMillis();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("collection", collection);
        doc.put("status", status.label());
        doc.put("ids", page.items());
        if (running != null) {
          List<Map<String, Object>> holders = new ArrayList<>();
          for (StoredResource r : running.items()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("ident", r.key());
            h.putAll(Holders.Holder.of(r).json(now));
            holders.add(h);
          }
          doc.put("holders", holders);
        }
        doc.put("nextCursor", page.nextCursor());
        o.json(doc);
      } else if (running != null && main.interactive()) {
        // On a terminal, who holds each; piped, idents only (xargs, cairn show -).
        for (StoredResource r : running.items()) {
          o.println(r.key() + "  " + o.paint("faint", Holders.Holder.of(r).describe(now)));
        }
      } else {
        page.items().forEach(o::println);
        if (page.items().isEmpty() && cursor == null) {
          o.note("no " + status.label() + " resources in " + collection);
        }
      }
      if (page.hasMore()) {
        o.note(
            o.paint(
                "faint",
                "more: cairn"
                    + main.homeFlag()
                    + " ls "
                    + Shell.quote(collection)
                    + " --status "
                    + status.label()
                    + (limit != 100 ? " --limit " + limit : "")
                    + " --cursor "
                    + Shell.quote(page.nextCursor())));
      }
    }
    return ErrorHandler.OK;
  }

  /**
   * Pages of {@link #MAX_LIMIT} written as they come, so a listing of millions neither waits for
   * the last page nor holds them all in memory.
   */
  private int streamAll() {
    ParseResult pr = spec.commandLine().getParseResult();
    for (String option : new String[] {"--limit", "--cursor", "--json"}) {
      if (pr.hasMatchedOption(option)) {
        throw new ParameterException(
            spec.commandLine(),
            "--all lists every ident, one per line: drop " + option + " (or page with --cursor)");
      }
    }
    Output o = Output.of(spec);
    long n = 0;
    // stdout flushes on every println; a page is written through a buffer and flushed once
    BufferedWriter w = new BufferedWriter(o.out(), 1 << 16);
    try (CairnClient cairn = main.openClient()) {
      String next = null;
      do {
        Page<String> page = cairn.idsByStatus(collection, status, next, MAX_LIMIT);
        for (String id : page.items()) {
          w.write(id);
          w.write('\n');
        }
        w.flush();
        n += page.items().size();
        next = page.hasMore() ? page.nextCursor() : null;
      } while (next != null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to stdout: " + e.getMessage(), e);
    }
    if (n == 0) {
      o.note("no " + status.label() + " resources in " + collection);
    }
    return ErrorHandler.OK;
  }

  /** A pipeline file is present and no collection-only option was given. */
  private boolean mayBeExpression() {
    ParseResult pr = spec.commandLine().getParseResult();
    return pipelineFile.present()
        && !pr.hasMatchedOption("--status")
        && !pr.hasMatchedOption("--limit")
        && !pr.hasMatchedOption("--cursor")
        && !pr.hasMatchedOption("--all");
  }
}
