package io.cairn.cli;

import io.cairn.Cairn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A home with the collection {@code wordcount} computed over {@code count} documents, as the first
 * {@code cairn demo} left it: {@code i % 97 == 42} documents end in ERROR.
 */
final class WordCountFixture {
  /** Of doc-00001 .. doc-00200, i % 97 == 42 makes these two corrupt. */
  static final String FAILING_1 = "doc-00042";

  static final String FAILING_2 = "doc-00139";

  private WordCountFixture() {}

  /** Computes documents 1..count in {@code home} (once each; a second call retries failures). */
  static void fill(Path home, int count) {
    // On the state store the CLI test runs on (CliRun.store), as the CLI under test will read it.
    Cairn.Builder builder = Cairn.builder().home(home);
    if (CliRun.store != null) {
      builder.stateStore(io.cairn.postgres.PostgresStore.open(CliRun.store, 2));
    }
    try (Cairn cairn = builder.open()) {
      Path docs = cairn.home().resolve("wordcount-docs");
      List<String> idents = WordCountDocuments.ensure(docs, count);
      cairn.collection(WordCount.COLLECTION, WordCount.VERSION, new WordCount());
      cairn.fetchAll(WordCount.COLLECTION, idents, Map.of("dir", docs.toString()), 2);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
