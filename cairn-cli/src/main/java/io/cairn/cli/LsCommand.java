package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.Page;
import io.cairn.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "ls",
    description = "Idents of a collection with one status, a page at a time.",
    sortOptions = false)
final class LsCommand implements Callable<Integer> {
  static final int MAX_LIMIT = 100_000;

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(index = "0", paramLabel = "COLLECTION", description = "A collection name.")
  private String collection;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      defaultValue = "completed",
      description =
          "queued, running, completed, error or aborted (default: ${DEFAULT-VALUE}).")
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
      names = "--json",
      description = "Print JSON: {\"collection\", \"status\", \"ids\", \"nextCursor\"}.")
  private boolean json;

  @Override
  public Integer call() {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ParameterException(
          spec.commandLine(), "--limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
    Output o = Output.of(spec);
    try (Cairn cairn = main.openExisting()) {
      Page<String> page = cairn.idsByStatus(collection, status, cursor, limit);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("collection", collection);
        doc.put("status", status.label());
        doc.put("ids", page.items());
        doc.put("nextCursor", page.nextCursor());
        o.json(doc);
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
                "more: cairn" + main.homeFlag() + " ls " + Shell.quote(collection) + " --status "
                    + status.label() + (limit != 100 ? " --limit " + limit : "") + " --cursor "
                    + Shell.quote(page.nextCursor())));
      }
    }
    return ErrorHandler.OK;
  }
}
