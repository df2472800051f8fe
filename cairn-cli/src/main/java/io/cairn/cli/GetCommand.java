package io.cairn.cli;

import io.cairn.CairnClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "get",
    description =
        "Write a catalog object's bytes to stdout or a file, only after they hashed right.",
    sortOptions = false)
final class GetCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(index = "0", paramLabel = "ID", description = "The object's id.")
  private String id;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here (atomically) instead of stdout.")
  private Path output;

  @Override
  public Integer call() throws IOException {
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      if (output != null) {
        cairn.catalog().get(id, output);
        return ErrorHandler.OK;
      }
      // Checked whole before a byte reaches stdout: a pipe never gets corrupted data.
      // A temp file outside the home: reading creates nothing there.
      Path tmp = Files.createTempFile("cairn-get-", ".tmp");
      try {
        cairn.catalog().get(id, tmp);
        o.out().flush();
        Files.copy(tmp, main.rawOut());
        main.rawOut().flush();
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return ErrorHandler.OK;
  }
}
