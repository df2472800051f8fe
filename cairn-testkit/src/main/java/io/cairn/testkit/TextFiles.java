package io.cairn.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The record files crash tests keep: children append one short line per event (appends of a short
 * line do not interleave between processes), parents read them back.
 */
public final class TextFiles {
  private TextFiles() {}

  /** The lines of {@code file}, for use in lambdas ({@code Await.until}). */
  public static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends {@code line} and a newline to {@code file}, creating it if needed. */
  public static void appendLine(Path file, String line) throws IOException {
    Files.writeString(
        file,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
