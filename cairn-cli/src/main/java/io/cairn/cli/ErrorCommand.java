package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Status;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "error",
    description = "The stack trace of a resource's last failure (exit 1 if it has none).",
    sortOptions = false)
final class ErrorCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Mixin private ResourceRef ref;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      Optional<String> error = cairn.error(ref.collection, ref.ident);
      if (error.isEmpty()) {
        Status status = cairn.resource(ref.collection, ref.ident).status();
        o.note("cairn: no error stored for " + ref + " (" + status.label() + ")");
        return ErrorHandler.FAILURE;
      }
      String trace = error.get();
      o.out().print(trace.endsWith("\n") ? trace : trace + "\n");
      o.out().flush();
    }
    return ErrorHandler.OK;
  }
}
