package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.collection.FetchAllResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    name = "demo",
    description = "Count the words of N generated documents, durably (run it twice).",
    sortOptions = false,
    footerHeading = "%n",
    footer =
        "Writes <home>/demo/docs/doc-00001.txt ... (once), registers the collection"
            + " 'wordcount' and fetches every document with a progress bar on stderr. About 1 in"
            + " 97 documents is corrupt on purpose, so some resources end in ERROR. A second run"
            + " computes nothing: results are cached, failures are retried (and fail again).")
final class DemoCommand implements Callable<Integer> {
  static final int MAX_COUNT = 1_000_000;

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "3000",
      description = "Documents to generate and count (default: ${DEFAULT-VALUE}).")
  private int count;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "2",
      description = "Threads computing (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Option(
      names = "--recompute",
      description = "Count completed documents again instead of using the stored results.")
  private boolean recompute;

  @Override
  public Integer call() throws IOException {
    if (count < 1 || count > MAX_COUNT) {
      throw new ParameterException(
          spec.commandLine(), "--count must be 1 to " + MAX_COUNT + ", got " + count);
    }
    if (workers < 1 || workers > 1024) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be 1 to 1024, got " + workers);
    }
    Output o = Output.of(spec);
    try (Cairn cairn = main.openOrCreate()) {
      Path docs = cairn.home().resolve("demo").resolve("docs");
      List<String> idents = DemoDocuments.ensure(docs, count);
      cairn.collection(WordCount.COLLECTION, WordCount.VERSION, new WordCount());
      if (recompute) {
        // fetchAll has no recompute flag: queue the completed ones, and fetchAll computes them.
        cairn.reset(WordCount.COLLECTION, Status.COMPLETED);
      }
      Map<String, Object> args = Map.of("dir", docs.toString());
      FetchAllResult r;
      try (DemoProgress progress =
          new DemoProgress(
              WordCount.COLLECTION, idents.size(), main.interactive(), main.rawErr(), o.err())) {
        r = cairn.fetchAll(WordCount.COLLECTION, idents, args, workers, progress);
      }
      o.println(summary(r, o));
      o.println("");
      Map<String, io.cairn.Stats> stats = new LinkedHashMap<>();
      stats.put(WordCount.COLLECTION, cairn.stats(WordCount.COLLECTION));
      StatusTable.render(stats, o).forEach(o::println);
      o.println("");
      hints(cairn, o);
    }
    return ErrorHandler.OK;
  }

  private static String summary(FetchAllResult r, Output o) {
    StringBuilder s = new StringBuilder();
    s.append(o.paint("bold", WordCount.COLLECTION)).append(": ");
    s.append(o.paint(r.computed() > 0 ? "green" : "faint", r.computed() + " computed"));
    s.append(", ").append(o.paint(r.cached() > 0 ? "cyan" : "faint", r.cached() + " cached"));
    s.append(", ").append(o.paint(r.failed() > 0 ? "red" : "faint", r.failed() + " failed"));
    if (r.skipped() > 0) {
      s.append(", ").append(o.paint("magenta", r.skipped() + " skipped"));
    }
    s.append(" in ").append(Durations.format(r.elapsed().toMillis()));
    s.append(String.format(Locale.ROOT, " (%,.0f docs/s)", r.perSecond()));
    return s.toString();
  }

  private void hints(Cairn cairn, Output o) {
    String cairnCmd = "cairn" + main.homeFlag();
    List<String> failing =
        cairn.idsByStatus(WordCount.COLLECTION, Status.ERROR, null, 1).items();
    List<String[]> hints = new java.util.ArrayList<>();
    if (!failing.isEmpty()) {
      hints.add(new String[] {cairnCmd + " ls wordcount --status error", "the documents that failed"});
      hints.add(
          new String[] {
            cairnCmd + " error wordcount " + Shell.quote(failing.get(0)), "why one of them failed"
          });
    }
    hints.add(
        new String[] {
          cairnCmd + " show wordcount " + DemoDocuments.ident(1), "one result, its times and files"
        });
    hints.add(new String[] {cairnCmd + " demo", "again: all cached, failures retried"});
    int width = hints.stream().mapToInt(h -> h[0].length()).max().orElse(0);
    o.println(o.paint("bold", "next:"));
    for (String[] h : hints) {
      o.println("  " + h[0] + " ".repeat(width - h[0].length() + 2) + o.paint("faint", "# " + h[1]));
    }
  }
}
