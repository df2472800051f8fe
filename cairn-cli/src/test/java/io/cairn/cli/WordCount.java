package io.cairn.cli;

import io.cairn.collection.ComputeContext;
import io.cairn.collection.ComputeFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collection the read-command tests inspect (it was the first demo): counts the words and lines
 * of {@code <dir>/<ident>.txt}.
 */
final class WordCount implements ComputeFunction {
  static final String COLLECTION = "wordcount";
  static final String VERSION = "1";

  @Override
  public Object compute(String ident, Map<String, Object> args, ComputeContext ctx)
      throws Exception {
    Object dir = args.get("dir");
    if (!(dir instanceof String d)) {
      throw new IllegalArgumentException("wordcount needs args {\"dir\": \"...\"}, got " + args);
    }
    Path file = Path.of(d).resolve(ident + ".txt");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    ctx.log()
        .info(
            "counting {} ({} lines, attempt {})", file.getFileName(), lines.size(), ctx.attempt());
    Map<String, Integer> freq = new HashMap<>();
    long words = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.equals(WordCountDocuments.CORRUPT_MARKER)) {
        throw new IllegalStateException(
            "corrupt document: " + file.getFileName() + " line " + (i + 1) + " is unreadable");
      }
      for (String w : line.split("\\s+")) {
        if (!w.isEmpty()) {
          freq.merge(w, 1, Integer::sum);
          words++;
        }
      }
    }
    List<String> top =
        freq.entrySet().stream()
            .sorted(
                Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(3)
            .map(Map.Entry::getKey)
            .toList();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("words", words);
    result.put("lines", lines.size());
    result.put("top", top);
    return result;
  }
}
