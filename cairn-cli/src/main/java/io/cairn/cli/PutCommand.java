package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.PutOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "put",
    description = "Store a file in the catalog; prints its id (the SHA-256 of its bytes).",
    sortOptions = false)
final class PutCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to store.")
  private Path file;

  @Option(names = "--dataset", paramLabel = "D", description = "Register it in this dataset.")
  private String dataset;

  @Option(
      names = "--job",
      paramLabel = "J",
      description = "The dataset's job that made it: a number, or 'new' for the next one.")
  private String job;

  @Option(names = "--partition", paramLabel = "P", description = "The dataset's partition.")
  private String partition;

  @Option(names = "--info", paramLabel = "K=V", description = "Metadata; repeatable.")
  private List<String> info = new ArrayList<>();

  @Option(names = "--parent", paramLabel = "ID", description = "An object it was made from.")
  private List<String> parents = new ArrayList<>();

  @Option(names = "--name", paramLabel = "NAME", description = "Name (default: the file name).")
  private String name;

  @Option(names = "--type", paramLabel = "MEDIA", description = "Media type (default: sniffed).")
  private String mediaType;

  @Option(
      names = "--reference",
      description = "Reference the file in place instead of copying it (checked on every read).")
  private boolean reference;

  @Option(names = "--json", description = "Print the object as JSON.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    boolean any = dataset != null || job != null || partition != null;
    if (any && (dataset == null || job == null || partition == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "--dataset, --job and --partition go together: give all three, or none");
    }
    PutOptions options = PutOptions.defaults().name(name).mediaType(mediaType);
    for (String kv : info) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(
            spec.commandLine(), "--info takes KEY=VALUE, got '" + kv + "'");
      }
      options = options.info(kv.substring(0, eq), kv.substring(eq + 1));
    }
    options = options.parents(parents.toArray(String[]::new));
    if (reference) {
      options = options.referenceInPlace();
    }
    Output o = Output.of(spec);
    try (Cairn cairn = main.openOrCreate()) {
      Catalog catalog = cairn.catalog();
      if (any) {
        options = options.in(dataset, jobNumber(catalog), partition);
      }
      CatalogObject obj = catalog.put(file, options);
      if (json) {
        o.json(CatalogViews.json(obj, catalog.placements(obj.id())));
      } else {
        o.println(obj.id());
      }
    }
    return ErrorHandler.OK;
  }

  private long jobNumber(Catalog catalog) {
    if (job.equals("new")) {
      return catalog.newJob(dataset);
    }
    try {
      return Long.parseLong(job);
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "--job takes a job number or 'new', got '" + job + "'");
    }
  }
}
