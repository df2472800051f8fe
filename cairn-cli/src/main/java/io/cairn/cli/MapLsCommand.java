package io.cairn.cli;

import io.cairn.CairnClient;
import java.util.ArrayList;
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

@Command(name = "ls", description = "The durable maps and their sizes.", sortOptions = false)
final class MapLsCommand implements Callable<Integer> {
  @ParentCommand private MapCommand parent;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Option(names = "--json", description = "Print JSON: {\"maps\": [{\"name\", \"entries\"}]}.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (CairnClient cairn = parent.main.openClient()) {
      List<Map<String, Object>> rows = MapTable.rows(cairn);
      if (json) {
        o.json(Map.of("maps", rows));
      } else if (rows.isEmpty()) {
        o.note("no maps yet in " + cairn.home());
      } else {
        MapTable.render(rows, o).forEach(o::println);
      }
    }
    return ErrorHandler.OK;
  }
}

/** The maps section of {@code status} and {@code map ls}. */
final class MapTable {
  private MapTable() {}

  static List<Map<String, Object>> rows(CairnClient cairn) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : cairn.maps()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", name);
      row.put("entries", cairn.mapSize(name));
      rows.add(row);
    }
    return rows;
  }

  static List<String> render(List<Map<String, Object>> rows, Output o) {
    int w = "map".length();
    int n = "entries".length();
    for (Map<String, Object> r : rows) {
      w = Math.max(w, r.get("name").toString().length());
      n = Math.max(n, r.get("entries").toString().length());
    }
    List<String> lines = new ArrayList<>();
    lines.add(o.paint("bold", String.format("%-" + w + "s  %" + n + "s", "map", "entries")));
    for (Map<String, Object> r : rows) {
      lines.add(String.format("%-" + w + "s  %" + n + "s", r.get("name"), r.get("entries")));
    }
    return lines;
  }
}
