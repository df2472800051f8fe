package io.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "slurm",
    description = "Run on a Slurm cluster: submit cairn workers as one job array.",
    sortOptions = false,
    subcommands = {SlurmWorkersCommand.class})
final class SlurmCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ErrorHandler.USAGE;
  }
}
