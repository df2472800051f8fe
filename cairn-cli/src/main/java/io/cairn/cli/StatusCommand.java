package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.Stats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    description = "Counts per status of every collection, or of one.",
    sortOptions = false)
final class StatusCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(arity = "0..1", paramLabel = "COLLECTION", description = "Only this collection.")
  private String collection;

  @Option(
      names = "--json",
      description = "Print JSON: {\"home\", \"collections\": [...], \"maps\": [...]}.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (Cairn cairn = main.openExisting()) {
      Map<String, Stats> stats;
      if (collection != null) {
        stats = new LinkedHashMap<>();
        stats.put(collection, cairn.stats(collection));
      } else {
        stats = cairn.stats();
      }
      java.util.List<Map<String, Object>> maps =
          collection == null ? MapTable.rows(cairn) : java.util.List.of();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("home", cairn.home().toString());
        doc.put("collections", StatusTable.json(stats));
        doc.put("maps", maps);
        o.json(doc);
      } else if (stats.isEmpty() && maps.isEmpty()) {
        o.note("no collections yet in " + cairn.home());
      } else {
        if (!stats.isEmpty()) {
          StatusTable.render(stats, o).forEach(o::println);
        }
        if (!maps.isEmpty()) {
          if (!stats.isEmpty()) {
            o.println("");
          }
          MapTable.render(maps, o).forEach(o::println);
        }
      }
    }
    return ErrorHandler.OK;
  }
}
