package io.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.Cairn;
import io.cairn.durable.DurableMap;
import io.cairn.durable.MapOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    description = {
      "Read JSON lines {\"key\": ..., \"value\": ...} into a map (creating it), in one transaction.",
      "Every line is checked first: a bad line is reported with its number and nothing is imported."
    },
    sortOptions = false)
final class MapImportCommand implements Callable<Integer> {
  @ParentCommand private MapCommand parent;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(index = "0", paramLabel = "NAME", description = "The map.")
  private String name;

  @Parameters(index = "1", paramLabel = "FILE", description = "JSON lines; - for stdin.")
  private String file;

  @Override
  public Integer call() throws IOException {
    Output o = Output.of(spec);
    Map<String, Object> entries = read();
    try (Cairn cairn = parent.main.openOrCreate()) {
      // Pending writes go to the store in one sync: one transaction, all or nothing.
      DurableMap<Object> m =
          cairn.map(
              name,
              Object.class,
              MapOptions.defaults().syncAt(10_000_000).syncEvery(java.time.Duration.ofDays(1)));
      m.hold();
      entries.forEach(m::set);
      m.sync();
      m.unhold();
    }
    o.note("imported " + entries.size() + " entries into map '" + name + "'");
    return ErrorHandler.OK;
  }

  private Map<String, Object> read() throws IOException {
    String label = file.equals("-") ? "stdin" : file;
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Object> entries = new LinkedHashMap<>();
    try (BufferedReader in =
        file.equals("-")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String where = label + ":" + number + ": ";
        JsonNode node;
        try {
          node = mapper.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              where + "not JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (node == null
            || !node.isObject()
            || !node.has("key")
            || !node.has("value")
            || node.size() != 2) {
          throw new IllegalArgumentException(
              where + "expected an object {\"key\": \"...\", \"value\": ...}");
        }
        JsonNode key = node.get("key");
        if (!key.isTextual() || key.asText().isEmpty() || key.asText().indexOf('\0') >= 0) {
          throw new IllegalArgumentException(
              where + "\"key\" must be a non-empty string without NUL");
        }
        entries.put(key.asText(), mapper.treeToValue(node.get("value"), Object.class));
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    return entries;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
