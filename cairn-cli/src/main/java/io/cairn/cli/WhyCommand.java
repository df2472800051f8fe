package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Why;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "why",
    description = "Why the next fetch of a resource would, or would not, compute it.",
    sortOptions = false)
final class WhyCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Mixin private ResourceRef ref;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"collection\", \"ident\", \"reason\", \"wouldCompute\", \"message\"};"
              + " with several idents or stdin, one compact object a line (JSON lines).")
  private boolean json;

  /** One line per ident; with several idents or stdin each line starts with the ident. */
  @Override
  public Integer call() {
    Output o = Output.of(spec);
    List<String> idents = ref.idents(spec, main.rawIn());
    try (CairnClient cairn = main.openClient()) {
      for (String ident : idents) {
        Why why = cairn.why(ref.collection, ident);
        String reason = why.reason().name().toLowerCase(Locale.ROOT);
        if (json) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("collection", ref.collection);
          doc.put("ident", ident);
          doc.put("reason", reason);
          doc.put("wouldCompute", why.wouldCompute());
          doc.put("message", why.message());
          if (ref.batch()) {
            o.jsonLine(doc);
          } else {
            o.json(doc);
          }
        } else {
          String line =
              o.paint("bold," + styleOf(why.reason()), reason.replace('_', '-'))
                  + "  "
                  + why.message();
          o.println(ref.batch() ? ident + "  " + line : line);
        }
      }
      o.out().flush();
    }
    return ErrorHandler.OK;
  }

  private static String styleOf(Why.Reason reason) {
    return switch (reason) {
      case UP_TO_DATE -> "green";
      case ERROR -> "red";
      case ABORTED -> "magenta";
      case RUNNING, QUEUED, INTERRUPTED -> "yellow";
      case NEVER_COMPUTED, ARGS_CHANGED, VERSION_CHANGED -> "cyan";
    };
  }
}
