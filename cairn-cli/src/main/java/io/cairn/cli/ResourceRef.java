package io.cairn.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * The COLLECTION IDENT... the per-resource read commands take: one ident, several, or idents on
 * stdin ({@code -} or {@code --stdin}, one a line), so a script pays one JVM for all of them.
 */
final class ResourceRef {
  @Parameters(index = "0", paramLabel = "COLLECTION", description = "A collection name.")
  String collection;

  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "IDENT",
      description = "Resource idents; '-' reads more from stdin, one a line.")
  List<String> given = new ArrayList<>();

  @Option(
      names = "--stdin",
      description = "Read the idents from stdin, one a line (blank lines skipped).")
  boolean stdin;

  private List<String> idents;
  private boolean batch;

  /**
   * The idents in order, stdin's in place of {@code -}; validated once.
   *
   * @throws ParameterException if there are none, or both arguments and --stdin
   */
  List<String> idents(CommandSpec spec, InputStream in) {
    if (idents != null) {
      return idents;
    }
    if (stdin && !given.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "give the idents as arguments or with --stdin, not both");
    }
    if (!stdin && given.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "missing IDENT: give one or more, or '-' or --stdin to read them from stdin");
    }
    List<String> all = new ArrayList<>();
    boolean readStdin = false;
    for (String ident : stdin ? List.of("-") : given) {
      if (ident.equals("-")) {
        if (readStdin) {
          throw new ParameterException(spec.commandLine(), "'-' (stdin) may be given only once");
        }
        readStdin = true;
        all.addAll(lines(in));
      } else {
        all.add(ident);
      }
    }
    idents = all;
    // With stdin the number of idents is not the script's to know: always the batch shape.
    batch = readStdin || all.size() > 1;
    return idents;
  }

  /** Whether output takes the batch shape: per-ident headers, JSON lines. */
  boolean batch() {
    return batch;
  }

  private static List<String> lines(InputStream in) {
    List<String> out = new ArrayList<>();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          out.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read idents from stdin: " + e.getMessage(), e);
    }
    return out;
  }

  /** {@code collection/ident}, as messages name a resource. */
  String name(String ident) {
    return collection + "/" + ident;
  }
}
