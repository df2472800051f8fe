package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "error",
    description =
        "The stack trace of a resource's last failure (exit 1 if it, or any of several, has none).",
    sortOptions = false)
final class ErrorCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Mixin private ResourceRef ref;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"collection\", \"ident\", \"status\", \"error\"} (error null when none);"
              + " with several idents or stdin, one compact object a line (JSON lines).")
  private boolean json;

  /**
   * The trace, or with several idents each trace under a {@code ==> collection/ident <==} header
   * (as {@code tail} heads several files); the ones with no error are named on stderr.
   */
  @Override
  public Integer call() {
    Output o = Output.of(spec);
    List<String> idents = ref.idents(spec, main.rawIn());
    int code = ErrorHandler.OK;
    try (CairnClient cairn = main.openClient()) {
      boolean first = true;
      for (String ident : idents) {
        Optional<String> error = cairn.error(ref.collection, ident);
        if (json) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("collection", ref.collection);
          doc.put("ident", ident);
          doc.put("status", cairn.resource(ref.collection, ident).status().label());
          doc.put("error", error.orElse(null));
          if (ref.batch()) {
            o.jsonLine(doc);
          } else {
            o.json(doc);
          }
        } else if (error.isPresent()) {
          if (ref.batch()) {
            o.println((first ? "" : "\n") + "==> " + ref.name(ident) + " <==");
            first = false;
          }
          String trace = error.get();
          o.out().print(trace.endsWith("\n") ? trace : trace + "\n");
        } else {
          Status status = cairn.resource(ref.collection, ident).status();
          o.out().flush(); // keep stdout and stderr in order on a terminal
          o.note("cairn: no error stored for " + ref.name(ident) + " (" + status.label() + ")");
        }
        if (error.isEmpty()) {
          code = ErrorHandler.FAILURE;
        }
      }
      o.out().flush();
    }
    return code;
  }
}
