package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.Status;
import java.util.LinkedHashMap;
import java.util.Map;
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
    name = "reset",
    description = "Make a collection's error or aborted resources queued again.",
    sortOptions = false)
final class ResetCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(index = "0", paramLabel = "COLLECTION", description = "A collection name.")
  private String collection;

  @Option(
      names = "--status",
      required = true,
      paramLabel = "STATUS",
      description = "error or aborted: the resources to make queued again.")
  private Status status;

  @Option(names = "--json", description = "Print JSON: {\"collection\", \"status\", \"reset\"}.")
  private boolean json;

  @Override
  public Integer call() {
    if (status != Status.ERROR && status != Status.ABORTED) {
      throw new ParameterException(
          spec.commandLine(),
          "reset takes --status error or --status aborted, got '" + status.label() + "'");
    }
    Output o = Output.of(spec);
    try (Cairn cairn = main.openExisting()) {
      long n = cairn.reset(collection, status);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("collection", collection);
        doc.put("status", status.label());
        doc.put("reset", n);
        o.json(doc);
      } else if (n == 0) {
        o.println("no " + status.label() + " resources in " + collection + ": nothing to reset");
      } else {
        o.println(
            o.paint("bold", Long.toString(n))
                + " "
                + status.label()
                + " resource"
                + (n == 1 ? "" : "s")
                + " of "
                + collection
                + " now "
                + o.status(Status.QUEUED)
                + ": the next fetch computes "
                + (n == 1 ? "it" : "them"));
      }
    }
    return ErrorHandler.OK;
  }
}
