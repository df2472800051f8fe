package io.cairn.cli;

import io.cairn.internal.store.HomeCheck;
import io.cairn.internal.store.LostDatabaseGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * {@code cairn check}: the {@code git fsck} of a home. Reads the database read-only, changes and
 * creates nothing, and reports every broken invariant on one line.
 */
@Command(
    name = "check",
    description = {
      "Verify a home's invariants: maintained counts equal the rows, no running resource without"
          + " an owner or a lease, every completed result and stored value is readable JSON.",
      "Prints one line per problem and exits 1, or 'ok: ...' and exits 0. Changes nothing."
    },
    sortOptions = false)
final class CheckCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"ok\", \"collections\", \"resources\", \"maps\", \"violations\": [...]}.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    Path home = main.home();
    Path db = home.resolve("cairn.db");
    if (!Files.isRegularFile(db)) {
      LostDatabaseGuard.check(home, db);
      throw new NoHomeException(home);
    }
    HomeCheck.Report report;
    if (size(db) == 0) {
      LostDatabaseGuard.check(home, db);
      report = new HomeCheck.Report(0, 0, 0, List.of()); // created, never written: nothing to check
    } else {
      report = HomeCheck.check(db);
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("ok", report.ok());
      doc.put("collections", report.collections());
      doc.put("resources", report.resources());
      doc.put("maps", report.maps());
      doc.put("violations", report.violations());
      o.json(doc);
    } else if (report.ok()) {
      o.println(
          "ok: "
              + report.collections()
              + " collections, "
              + report.resources()
              + " resources checked");
    } else {
      for (String v : report.violations()) {
        o.println(ErrorHandler.oneLine(v));
      }
      o.note(
          report.violations().size()
              + (report.violations().size() == 1 ? " problem" : " problems")
              + " in "
              + home);
    }
    return report.ok() ? ErrorHandler.OK : ErrorHandler.FAILURE;
  }

  private static long size(Path db) {
    try {
      return Files.size(db);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + db + ": " + e.getMessage(), e);
    }
  }
}
