package io.cairn.cli;

import io.cairn.Cairn;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "map",
    description = "Durable maps: list them, export one as JSON lines, import JSON lines.",
    sortOptions = false,
    subcommands = {MapLsCommand.class, MapExportCommand.class, MapImportCommand.class})
final class MapCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ErrorHandler.USAGE;
  }

  /** The map's name, checked against the store: an unknown map is a one-line usage error. */
  static String requireMap(Cairn cairn, String name) {
    List<String> known = cairn.maps();
    if (!known.contains(name)) {
      throw new IllegalArgumentException(
          "unknown map '"
              + name
              + "'; "
              + (known.isEmpty() ? "no maps exist yet" : "known: " + String.join(", ", known)));
    }
    return name;
  }
}
