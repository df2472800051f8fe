package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.CairnClient;
import io.cairn.Page;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.CatalogException;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.GcReport;
import io.cairn.catalog.Lineage;
import io.cairn.catalog.ObjectFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "info", description = "A catalog object's metadata and placements.")
final class InfoCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(index = "0", paramLabel = "ID", description = "The object's id.")
  private String id;

  @Option(names = "--json", description = "Print JSON.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      Catalog catalog = cairn.catalog();
      CatalogObject obj =
          catalog
              .info(id)
              .orElseThrow(() -> new CatalogException("object " + id + " is not in the catalog"));
      Map<String, Object> doc = CatalogViews.json(obj, catalog.placements(obj.id()));
      if (json) {
        o.json(doc);
      } else {
        doc.forEach((k, v) -> o.println(String.format("%-10s %s", k, v)));
      }
    }
    return ErrorHandler.OK;
  }
}

@Command(name = "objects", description = "List catalog objects, filtered, by id.")
final class ObjectsCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Option(names = "--dataset", paramLabel = "D", description = "Only objects in this dataset.")
  private String dataset;

  @Option(names = "--job", paramLabel = "J", description = "Only objects of this job.")
  private Long job;

  @Option(names = "--partition", paramLabel = "P", description = "Only this partition.")
  private String partition;

  @Option(names = "--type", paramLabel = "MEDIA", description = "Only this media type.")
  private String mediaType;

  @Option(names = "--name", paramLabel = "PREFIX", description = "Only names starting so.")
  private String namePrefix;

  @Option(names = "--limit", paramLabel = "N", description = "At most N (default 1000).")
  private int limit = 1000;

  @Option(names = "--after", paramLabel = "ID", description = "Start after this id (paging).")
  private String after;

  @Option(names = "--json", description = "Print JSON: {\"objects\": [...], \"next\"}.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    ObjectFilter f = new ObjectFilter(dataset, job, partition, mediaType, namePrefix);
    try (CairnClient cairn = main.openClient()) {
      Page<CatalogObject> page = cairn.catalog().list(f, after, limit);
      if (json) {
        List<Object> items = new ArrayList<>();
        page.items().forEach(x -> items.add(CatalogViews.json(x, null)));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("objects", items);
        doc.put("next", page.nextCursor());
        o.json(doc);
      } else {
        page.items().forEach(x -> o.println(CatalogViews.line(x)));
        if (page.items().isEmpty()) {
          o.note("no catalog objects match");
        }
        if (page.nextCursor() != null) {
          o.note("more: --after " + page.nextCursor());
        }
      }
    }
    return ErrorHandler.OK;
  }
}

@Command(name = "datasets", description = "The catalog's datasets with partitions and jobs.")
final class DatasetsCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Option(names = "--json", description = "Print JSON: {\"datasets\": [...]}.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      Catalog catalog = cairn.catalog();
      List<Map<String, Object>> rows = new ArrayList<>();
      String cursor = null;
      do {
        Page<Dataset> page = catalog.datasets(cursor, 1000);
        for (Dataset d : page.items()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", d.id());
          m.put("menu", d.menuId());
          m.put("config", d.configId());
          m.put("created", d.created());
          m.put("partitions", catalog.partitions(d.id()));
          m.put("jobs", catalog.jobs(d.id()).size());
          rows.add(m);
        }
        cursor = page.nextCursor();
      } while (cursor != null);
      if (json) {
        o.json(Map.of("datasets", rows));
      } else if (rows.isEmpty()) {
        o.note("no datasets yet in " + cairn.home());
      } else {
        for (Map<String, Object> r : rows) {
          o.println(
              r.get("id") + "  jobs " + r.get("jobs") + "  partitions " + r.get("partitions"));
        }
      }
    }
    return ErrorHandler.OK;
  }
}

@Command(name = "lineage", description = "What a catalog object was made from and what from it.")
final class LineageCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(index = "0", paramLabel = "ID", description = "The object's id.")
  private String id;

  @Option(names = "--depth", paramLabel = "N", description = "Links each way (default 10).")
  private int depth = 10;

  @Option(names = "--json", description = "Print JSON: {\"root\", \"edges\", \"placements\"}.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      Lineage l = cairn.catalog().lineage(id, depth);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("root", l.root());
        List<Object> edges = new ArrayList<>();
        for (Lineage.Edge e : l.edges()) {
          edges.add(Map.of("parent", e.parent(), "child", e.child(), "depth", e.depth()));
        }
        doc.put("edges", edges);
        List<Object> placed = new ArrayList<>();
        for (Lineage.Placed p : l.placements()) {
          Map<String, Object> m = new LinkedHashMap<>(CatalogViews.placement(p.placement()));
          m.put("id", p.id());
          placed.add(m);
        }
        doc.put("placements", placed);
        o.json(doc);
      } else {
        for (Lineage.Edge e : l.edges()) {
          o.println((e.depth() < 0 ? "up   " : "down ") + e.parent() + " -> " + e.child());
        }
        for (Lineage.Placed p : l.placements()) {
          o.println(
              "job  "
                  + p.id()
                  + " by "
                  + p.placement().dataset()
                  + " job "
                  + p.placement().job()
                  + " partition "
                  + p.placement().partition());
        }
        if (l.edges().isEmpty()) {
          o.note("no lineage recorded for " + l.root());
        }
      }
    }
    return ErrorHandler.OK;
  }
}

@Command(name = "gc", description = "Delete catalog blobs no object references.")
final class GcCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Option(names = "--dry-run", description = "Only say what would be deleted.")
  private boolean dryRun;

  @Option(names = "--json", description = "Print JSON: {\"deleted\", \"kept\", \"bytes\", ...}.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    Output o = Output.of(spec);
    try (Cairn cairn = main.openExisting()) {
      GcReport r = cairn.catalog().gc(dryRun);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("deleted", r.deleted());
        doc.put("kept", r.kept());
        doc.put("bytes", r.bytes());
        doc.put("dryRun", r.dryRun());
        o.json(doc);
      } else {
        o.println(
            (dryRun ? "would delete " : "deleted ")
                + r.deleted().size()
                + " blobs ("
                + r.bytes()
                + " bytes)"
                + (r.kept() > 0 ? "; kept " + r.kept() + " being put" : ""));
      }
    }
    return ErrorHandler.OK;
  }
}
