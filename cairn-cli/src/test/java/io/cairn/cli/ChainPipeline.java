package io.cairn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A five-step chain written by tests: {@code s1} reads {@code in/<key>.txt}, each step copies its
 * input to its output with {@code stdout:}, and appends "sN key" to {@code launches.txt}, so tests
 * count what ran. Step 3 fails until the file {@code fixed} exists.
 */
final class ChainPipeline {
  final Path dir;
  final Path file;
  final Path launches;
  final Path fixed;

  private ChainPipeline(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("cairn.yaml");
    this.launches = dir.resolve("launches.txt");
    this.fixed = dir.resolve("fixed");
  }

  /** Writes the pipeline and an input per key. */
  static ChainPipeline write(Path dir, String... keys) {
    ChainPipeline c = new ChainPipeline(dir);
    StringBuilder y = new StringBuilder();
    y.append("pipeline: chain\n");
    y.append("repositories:\n");
    y.append("  input: {type: files, dir: in, ext: .txt}\n");
    for (int i = 1; i <= 5; i++) {
      y.append("  r")
          .append(i)
          .append(": {type: files, dir: out/r")
          .append(i)
          .append(", ext: .txt}\n");
    }
    y.append("tasks:\n");
    for (int i = 1; i <= 5; i++) {
      String gate =
          i == 3 ? "test -e '" + c.fixed + "' || { echo step 3 is broken >&2; exit 1; }; " : "";
      y.append("  s").append(i).append(":\n");
      y.append("    script: \"echo s")
          .append(i)
          .append(" {{job}} >> '")
          .append(c.launches)
          .append("'; ")
          .append(gate)
          .append("cat {{links.src}}\"\n");
      y.append("    inputs: {src: ").append(i == 1 ? "input" : "r" + (i - 1)).append("}\n");
      y.append("    outputs: {dst: r").append(i).append("}\n");
      y.append("    stdout: dst\n");
      y.append("    max_tries: 1\n");
    }
    try {
      Files.createDirectories(dir.resolve("in"));
      Files.writeString(c.file, y.toString(), StandardCharsets.UTF_8);
      for (String k : keys) {
        Files.writeString(dir.resolve("in").resolve(k + ".txt"), "data of " + k + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return c;
  }

  /** The lines appended so far ("s3 a", ...), sorted, then forgotten. */
  List<String> takeLaunches() {
    try {
      if (!Files.exists(launches)) {
        return List.of();
      }
      List<String> lines = Files.readAllLines(launches).stream().sorted().toList();
      Files.delete(launches);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void fix() {
    try {
      Files.writeString(fixed, "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path output(int step, String key) {
    return dir.resolve("out/r" + step).resolve(key + ".txt");
  }
}
