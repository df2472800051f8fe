package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.durable.DurableMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapCommandTest {
  @TempDir Path home;
  @TempDir Path scratch;

  @BeforeEach
  void fillAMap() {
    try (Cairn cairn = Cairn.open(home)) {
      DurableMap<Object> m = cairn.map("urls");
      m.put("http://b", Map.of("status", 200));
      m.put("http://a", List.of(1, 2));
      m.put("http://c", "text");
      cairn.tracker("crawl").addAll(List.of("x", "y"));
    }
  }

  @Test
  void exportWritesJsonLinesInInsertionOrderAndImportReadsThemBack() throws Exception {
    CliRun export = cairn(home, "map", "export", "urls");
    assertThat(export.code()).isZero();
    assertThat(export.outLines())
        .containsExactly(
            "{\"key\":\"http://b\",\"value\":{\"status\":200}}",
            "{\"key\":\"http://a\",\"value\":[1,2]}",
            "{\"key\":\"http://c\",\"value\":\"text\"}");
    Path file = scratch.resolve("urls.jsonl");
    assertThat(cairn(home, "map", "export", "urls", "-o", file.toString()).code()).isZero();
    assertThat(Files.readAllLines(file)).isEqualTo(export.outLines());

    CliRun imported = cairn(home, "map", "import", "copy", file.toString());
    assertThat(imported.code()).isZero();
    assertThat(imported.err()).contains("imported 3 entries");
    assertThat(cairn(home, "map", "export", "copy").out()).isEqualTo(export.out());
  }

  @Test
  void aBadLineIsReportedWithItsNumberAndNothingIsImported() throws Exception {
    Path file = scratch.resolve("bad.jsonl");
    Files.writeString(
        file,
        "{\"key\":\"a\",\"value\":1}\n\n{\"key\":\"b\",\"value\":2}\n{\"key\":\"\",\"value\":3}\n");
    CliRun r = cairn(home, "map", "import", "fresh", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("bad.jsonl:4:").contains("non-empty string");
    Files.writeString(file, "{\"key\":\"a\",\"value\":1}\nnot json\n");
    assertThat(cairn(home, "map", "import", "fresh", file.toString()).err())
        .contains(":2: not JSON");
    Files.writeString(file, "[1,2]\n");
    assertThat(cairn(home, "map", "import", "fresh", file.toString()).err())
        .contains(":1: expected an object");
    try (Cairn cairn = Cairn.open(home)) {
      assertThat(cairn.maps()).doesNotContain("fresh");
    }
  }

  @Test
  void listsAndStatusShowMapsAndTrackers() {
    CliRun ls = cairn(home, "map", "ls", "--json");
    assertThat(ls.code()).isZero();
    assertThat(ls.json().get("maps").get(0).get("name").asText()).isEqualTo("urls");
    assertThat(ls.json().get("maps").get(0).get("entries").asLong()).isEqualTo(3);
    CliRun status = cairn(home, "status", "--json");
    assertThat(status.json().get("maps").get(0).get("entries").asLong()).isEqualTo(3);
    assertThat(status.json().get("collections").get(0).get("collection").asText())
        .isEqualTo("crawl");
    assertThat(status.json().get("collections").get(0).get("queued").asLong()).isEqualTo(2);
    CliRun table = cairn(home, "status");
    assertThat(table.out()).contains("crawl").contains("urls");
  }

  @Test
  void anUnknownMapExitsTwoNamingTheKnownOnes() {
    CliRun r = cairn(home, "map", "export", "nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("cairn: unknown map 'nope'; known: urls");
    assertThat(cairn(home, "map", "import", "m", scratch.resolve("missing").toString()).err())
        .contains("no such file");
  }
}
