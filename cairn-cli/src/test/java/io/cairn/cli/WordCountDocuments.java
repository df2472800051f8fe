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
 * The word-count fixture's input (the first demo's documents): deterministic text documents {@code
 * doc-00001.txt}, ..., a few hundred words each from a small vocabulary, the same bytes on every
 * machine. Document {@code i} is corrupt when {@code i % 97 == 42} (doc-00042, doc-00139, ...): a
 * marker line the word counter refuses.
 */
final class WordCountDocuments {
  static final String CORRUPT_MARKER = "#### CORRUPT BLOCK ####";

  private static final String[] VOCABULARY = DemoDocuments.VOCABULARY;

  private WordCountDocuments() {}

  static String ident(int i) {
    return String.format(Locale.ROOT, "doc-%05d", i);
  }

  static boolean isCorrupt(int i) {
    return i % 97 == 42;
  }

  /** Writes documents 1..count that do not exist yet; returns their idents, in order. */
  static List<String> ensure(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    List<String> idents = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      String ident = ident(i);
      idents.add(ident);
      Path file = dir.resolve(ident + ".txt");
      if (!Files.exists(file)) {
        Path tmp = dir.resolve(ident + ".txt.tmp");
        Files.writeString(tmp, text(i), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return idents;
  }

  /** The text of document {@code i}: skewed word frequencies, so each has clear top words. */
  static String text(int i) {
    Random rnd = new Random(1_000_003L * i);
    int words = 200 + rnd.nextInt(300);
    int corruptAt = isCorrupt(i) ? 2 + rnd.nextInt(5) : -1;
    int favourite = rnd.nextInt(VOCABULARY.length); // each document its own most frequent words
    StringBuilder sb = new StringBuilder(words * 7);
    int line = 0;
    int written = 0;
    while (written < words) {
      if (line == corruptAt) {
        sb.append(CORRUPT_MARKER).append('\n');
      }
      int n = Math.min(words - written, 6 + rnd.nextInt(9));
      for (int w = 0; w < n; w++) {
        double r = rnd.nextDouble();
        sb.append(w == 0 ? "" : " ")
            .append(
                VOCABULARY[
                    (favourite + (int) (VOCABULARY.length * r * r * r)) % VOCABULARY.length]);
      }
      sb.append('\n');
      written += n;
      line++;
    }
    return sb.toString();
  }
}
