package io.cairn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.Cairn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    description = "Write a map as JSON lines, in insertion order: {\"key\": ..., \"value\": ...}.",
    sortOptions = false)
final class MapExportCommand implements Callable<Integer> {
  private static final ObjectMapper COMPACT = new ObjectMapper();

  @ParentCommand private MapCommand parent;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(index = "0", paramLabel = "NAME", description = "The map.")
  private String name;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of stdout (written to a temp file, then renamed).")
  private Path output;

  @Override
  public Integer call() throws IOException {
    Output o = Output.of(spec);
    try (Cairn cairn = parent.main.openExisting()) {
      MapCommand.requireMap(cairn, name);
      long n;
      if (output == null) {
        Writer w = o.out();
        n = export(cairn, w);
        w.flush();
      } else {
        Path abs = output.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          n = export(cairn, w);
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(tmp);
          throw e;
        }
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      o.note(
          "exported "
              + n
              + " entries of map '"
              + name
              + "'"
              + (output == null ? "" : " to " + output));
    }
    return ErrorHandler.OK;
  }

  private long export(Cairn cairn, Writer w) throws IOException {
    long n = 0;
    for (Map.Entry<String, Object> e : cairn.map(name).entrySet()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("key", e.getKey());
      line.put("value", e.getValue());
      w.write(COMPACT.writeValueAsString(line));
      w.write('\n');
      n++;
    }
    return n;
  }
}
