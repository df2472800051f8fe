package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn ls --all} streams every ident, past the 100,000 of one page. */
class LsAllTest {
  static final int N = LsCommand.MAX_LIMIT + 123;

  @TempDir static Path home;

  @BeforeAll
  static void fill() {
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection("sq", (ident, args, ctx) -> ident.length());
      cairn.fetchAll(
          "sq",
          IntStream.range(0, N).mapToObj(i -> String.format("k%06d", i)).toList(),
          Map.of(),
          4);
    }
  }

  @Test
  void allListsEveryIdentOnceInOrderAcrossPages() {
    CliRun r = cairn(home, "ls", "sq", "--all");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.outLines();
    // four threads complete items in no fixed order, and the listing follows the order of
    // completion: the same order the Java API pages in, every ident exactly once
    try (Cairn cairn = Cairn.open(home)) {
      assertThat(lines).containsExactlyElementsOf(cairn.idsByStatus("sq", Status.COMPLETED));
    }
    assertThat(lines).hasSize(N).doesNotHaveDuplicates();
    assertThat(lines.stream().sorted().toList())
        .isEqualTo(IntStream.range(0, N).mapToObj(i -> String.format("k%06d", i)).toList());
    assertThat(r.err()).as("no 'more:' hint").isEmpty();
  }

  @Test
  void allWithAnotherStatusSaysWhenThereIsNone() {
    CliRun r = cairn(home, "ls", "sq", "--all", "--status", "aborted");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("no aborted resources in sq");
  }

  @Test
  void allRefusesPagingOptionsAndSaysWhy() {
    CliRun r = cairn(home, "ls", "sq", "--all", "--limit", "5");
    assertThat(r.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(r.err()).contains("--all lists every ident, one per line: drop --limit");
  }
}
