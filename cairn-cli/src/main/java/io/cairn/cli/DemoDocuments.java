package io.cairn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's input: {@link #COUNT} deterministic text documents {@code doc-01.txt}, ..., each a few
 * paragraphs separated by blank lines, the same bytes on every machine. Three are malformed on
 * purpose: {@link #EMPTY} has no text (the {@code split} task refuses it), and {@link #CORRUPT}
 * each have one paragraph with a {@link #CORRUPT_MARKER} line (the {@code count} task refuses that
 * paragraph).
 */
final class DemoDocuments {
  static final int COUNT = 36;
  static final int EMPTY = 13;
  static final List<Integer> CORRUPT = List.of(5, 29);
  static final String CORRUPT_MARKER = "#### CORRUPT BLOCK ####";

  /** The words documents are made of (the word-count test fixture draws on them too). */
  static final String[] VOCABULARY = {
    "the", "of", "and", "a", "to", "in", "is", "it", "that", "was", "for", "on", "stone", "cairn",
    "trail", "ridge", "summit", "path", "walker", "marks", "way", "mist", "valley", "river", "moss",
    "granite", "pile", "north", "wind", "cloud", "map", "compass", "step", "slope", "rain", "snow",
    "peak", "pass", "lake", "pine", "heather", "rock", "shadow", "light", "morning", "evening",
    "climb", "rest", "return", "again", "every", "small", "high", "long", "old", "cold", "quiet"
  };

  private DemoDocuments() {}

  static String key(int i) {
    return String.format(Locale.ROOT, "doc-%02d", i);
  }

  /** Writes the documents that do not exist yet (existing ones are the user's: kept). */
  static void ensure(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int i = 1; i <= COUNT; i++) {
      Path file = dir.resolve(key(i) + ".txt");
      if (!Files.exists(file)) {
        Path tmp = dir.resolve("." + key(i) + ".txt.tmp");
        Files.writeString(tmp, text(i), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  /** How many paragraphs document {@code i} has (0 for the empty one). */
  static int paragraphs(int i) {
    return i == EMPTY ? 0 : 2 + new Random(7_919L * i).nextInt(4);
  }

  /** Which paragraph of document {@code i} is corrupt, from 1; 0 when none is. */
  static int corruptParagraph(int i) {
    return CORRUPT.contains(i) ? 1 + new Random(31L * i).nextInt(paragraphs(i)) : 0;
  }

  /**
   * The text of document {@code i}: paragraphs of skewed word frequencies, blank-line separated.
   */
  static String text(int i) {
    if (i == EMPTY) {
      return "\n   \n\n";
    }
    Random rnd = new Random(1_000_003L * i);
    int favourite = rnd.nextInt(VOCABULARY.length); // each document its own most frequent words
    int corruptIn = corruptParagraph(i) - 1;
    StringBuilder sb = new StringBuilder();
    for (int p = 0; p < paragraphs(i); p++) {
      if (p > 0) {
        sb.append('\n');
      }
      int lines = 2 + rnd.nextInt(4);
      for (int l = 0; l < lines; l++) {
        if (p == corruptIn && l == 1) {
          sb.append(CORRUPT_MARKER).append('\n');
        }
        int words = 6 + rnd.nextInt(7);
        for (int w = 0; w < words; w++) {
          double r = rnd.nextDouble();
          int index = (favourite + (int) (VOCABULARY.length * r * r * r)) % VOCABULARY.length;
          sb.append(w == 0 ? "" : " ").append(VOCABULARY[index]);
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** The keys of every paragraph job {@code split} makes: {@code doc-01.p1}, ... */
  static List<String> paragraphKeys() {
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= COUNT; i++) {
      for (int p = 1; p <= paragraphs(i); p++) {
        keys.add(key(i) + ".p" + p);
      }
    }
    return keys;
  }
}
