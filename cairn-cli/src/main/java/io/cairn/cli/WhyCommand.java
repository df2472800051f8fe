package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Why;
import java.util.LinkedHashMap;
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
          "Print JSON: {\"collection\", \"ident\", \"reason\", \"wouldCompute\", \"message\"}.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      Why why = cairn.why(ref.collection, ref.ident);
      String reason = why.reason().name().toLowerCase(Locale.ROOT);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("collection", ref.collection);
        doc.put("ident", ref.ident);
        doc.put("reason", reason);
        doc.put("wouldCompute", why.wouldCompute());
        doc.put("message", why.message());
        o.json(doc);
      } else {
        o.println(
            o.paint("bold," + styleOf(why.reason()), reason.replace('_', '-'))
                + "  "
                + why.message());
      }
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
