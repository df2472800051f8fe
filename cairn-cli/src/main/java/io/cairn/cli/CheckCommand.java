package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.CairnClient;
import io.cairn.HomeNotFoundException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * creates nothing, and reports every broken invariant on one line. With {@code --upgrade} it first
 * migrates a home written by an older Cairn, the one change a read command may ask for.
 */
@Command(
    name = "check",
    description = {
      "Verify a home's invariants: maintained counts equal the rows, no running resource without"
          + " an owner or a lease, every completed result and stored value is readable JSON.",
      "Prints one line per problem and exits 1, or 'ok: ...' and exits 0. Changes nothing,"
          + " unless --upgrade is given."
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

  @Option(
      names = "--upgrade",
      description =
          "First bring a home written by an older Cairn to this Cairn's schema (the read"
              + " commands refuse such a home until then).")
  private boolean upgrade;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    Path home = main.home();
    CairnClient.CheckReport report;
    try {
      if (upgrade) {
        if (!java.nio.file.Files.isRegularFile(home.resolve("cairn.db"))) {
          CairnClient.check(home); // says why: no home, or a used home that lost its database
        }
        Cairn.open(home).close(); // opening migrates
      }
      report = CairnClient.check(home);
    } catch (HomeNotFoundException e) {
      throw new NoHomeException(home);
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
}
