package io.cairn.cli;

import io.cairn.CairnClient;
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
    name = "log",
    description = "The lines a resource's function wrote through ctx.log().",
    sortOptions = false)
final class LogCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Mixin private ResourceRef ref;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"collection\", \"ident\", \"log\"} (log \"\" when none); with several"
              + " idents or stdin, one compact object a line (JSON lines).")
  private boolean json;

  /**
   * The log, or with several idents each log under a {@code ==> collection/ident <==} header (as
   * {@code tail} heads several files); empty logs are named on stderr.
   */
  @Override
  public Integer call() {
    Output o = Output.of(spec);
    List<String> idents = ref.idents(spec, main.rawIn());
    try (CairnClient cairn = main.openClient()) {
      boolean first = true;
      for (String ident : idents) {
        String log = cairn.log(ref.collection, ident);
        if (json) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("collection", ref.collection);
          doc.put("ident", ident);
          doc.put("log", log);
          if (ref.batch()) {
            o.jsonLine(doc);
          } else {
            o.json(doc);
          }
        } else if (log.isEmpty()) {
          o.out().flush(); // keep stdout and stderr in order on a terminal
          o.note("no log for " + ref.name(ident));
        } else {
          if (ref.batch()) {
            o.println((first ? "" : "\n") + "==> " + ref.name(ident) + " <==");
            first = false;
          }
          o.out().print(log.endsWith("\n") ? log : log + "\n");
        }
      }
      o.out().flush();
    }
    return ErrorHandler.OK;
  }
}
