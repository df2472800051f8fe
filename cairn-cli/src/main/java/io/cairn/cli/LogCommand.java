package io.cairn.cli;

import io.cairn.CairnClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      String log = cairn.log(ref.collection, ref.ident);
      if (log.isEmpty()) {
        o.note("no log for " + ref);
      } else {
        o.out().print(log.endsWith("\n") ? log : log + "\n");
        o.out().flush();
      }
    }
    return ErrorHandler.OK;
  }
}
