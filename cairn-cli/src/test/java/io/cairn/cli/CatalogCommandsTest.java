package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.PutOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogCommandsTest {
  @TempDir Path home;
  @TempDir Path scratch;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putGetInfoAndObjectsRoundTripAFile() throws Exception {
    Path file = scratch.resolve("table.csv");
    Files.writeString(file, "a,b\n1,2\n");
    CliRun put = cairn(home, "put", file.toString(), "--info", "owner=me");
    assertThat(put.code()).isZero();
    String id = put.out().strip();
    assertThat(id).hasSize(64);
    assertThat(cairn(home, "put", file.toString()).out().strip()).isEqualTo(id);

    CliRun.Bytes got = CliRun.cairnBytes(home, "get", id);
    assertThat(got.run().code()).isZero();
    assertThat(new String(got.out(), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
    assertThat(home.resolve("work")).as("reading creates nothing in the home").doesNotExist();
    Path out = scratch.resolve("copy.csv");
    assertThat(cairn(home, "get", id, "-o", out.toString()).code()).isZero();
    assertThat(Files.readString(out)).isEqualTo("a,b\n1,2\n");

    CliRun info = cairn(home, "info", id, "--json");
    assertThat(info.json().get("mediaType").asText()).isEqualTo("text/csv");
    assertThat(info.json().get("info").get("owner").asText()).isEqualTo("me");
    assertThat(info.json().get("name").asText()).isEqualTo("table.csv");

    CliRun objects = cairn(home, "objects", "--type", "text/csv", "--json");
    assertThat(objects.json().get("objects").get(0).get("id").asText()).isEqualTo(id);
    assertThat(cairn(home, "objects", "--name", "zzz", "--json").json().get("objects")).isEmpty();
  }

  @Test
  void putRegistersInADatasetAndDatasetsAndLineageShowIt() throws Exception {
    String dataset;
    String raw;
    try (Cairn cairn = CliRun.openCairn(home)) {
      Catalog c = cairn.catalog();
      Dataset d =
          c.createDataset(
              c.put("menu".getBytes(), PutOptions.defaults()).id(),
              c.put("config".getBytes(), PutOptions.defaults()).id());
      c.addPartition(d.id(), "p1");
      dataset = d.id();
      raw = c.put("raw".getBytes(), PutOptions.defaults()).id();
    }
    Path file = scratch.resolve("out.json");
    Files.writeString(file, "{}");
    CliRun put =
        cairn(
            home,
            "put",
            file.toString(),
            "--dataset",
            dataset,
            "--job",
            "new",
            "--partition",
            "p1",
            "--parent",
            raw,
            "--json");
    assertThat(put.code()).isZero();
    String id = put.json().get("id").asText();
    assertThat(put.json().get("placements").get(0).get("job").asLong()).isZero();

    CliRun datasets = cairn(home, "datasets", "--json");
    assertThat(datasets.json().get("datasets").get(0).get("jobs").asInt()).isEqualTo(1);
    assertThat(datasets.json().get("datasets").get(0).get("partitions").get(0).asText())
        .isEqualTo("p1");
    CliRun lineage = cairn(home, "lineage", raw, "--json");
    assertThat(lineage.json().get("edges").get(0).get("child").asText()).isEqualTo(id);
    assertThat(lineage.json().get("placements").get(0).get("dataset").asText()).isEqualTo(dataset);
    assertThat(
            cairn(home, "objects", "--dataset", dataset, "--job", "0", "--json")
                .json()
                .get("objects"))
        .hasSize(1);

    CliRun missing =
        cairn(
            home, "put", file.toString(), "--dataset", dataset, "--job", "5", "--partition", "p1");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.errLines()).hasSize(1);
    assertThat(missing.err()).contains("job 5");
  }

  @Test
  void errorsAreOneLineWithANonZeroExit() throws Exception {
    Path file = scratch.resolve("x.bin");
    Files.writeString(file, "x");
    String id = cairn(home, "put", file.toString()).out().strip();
    CliRun bad = cairn(home, "get", "xyz");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.errLines()).hasSize(1);
    assertThat(bad.err()).contains("not a SHA-256");
    CliRun unknown = cairn(home, "info", "0".repeat(64));
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("not in the catalog");
    CliRun half = cairn(home, "put", file.toString(), "--dataset", "d");
    assertThat(half.code()).isEqualTo(2);
    assertThat(half.err()).contains("go together");
    try (Cairn cairn = CliRun.openCairn(home)) {
      cairn
          .blobs()
          .putBytes(io.cairn.spi.BlobKey.of("catalog", id.substring(0, 2), id), bytes("y"));
    }
    CliRun corrupt = CliRun.cairn(home, "get", id);
    assertThat(corrupt.code()).isEqualTo(1);
    assertThat(corrupt.out()).isEmpty();
    assertThat(corrupt.err()).contains("corrupted");
  }

  @Test
  void gcDryRunListsAndGcDeletesUnreferencedBlobs() throws Exception {
    String orphan;
    try (Cairn cairn = CliRun.openCairn(home)) {
      byte[] bytes = "orphan".getBytes();
      orphan =
          java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      cairn
          .blobs()
          .putBytes(io.cairn.spi.BlobKey.of("catalog", orphan.substring(0, 2), orphan), bytes);
      cairn.catalog().put("kept".getBytes(), PutOptions.defaults());
    }
    CliRun dry = cairn(home, "gc", "--dry-run", "--json");
    assertThat(dry.json().get("deleted").get(0).asText()).isEqualTo(orphan);
    assertThat(dry.json().get("dryRun").asBoolean()).isTrue();
    CliRun real = cairn(home, "gc");
    assertThat(real.code()).isZero();
    assertThat(real.out()).contains("deleted 1 blobs");
    assertThat(cairn(home, "gc", "--json").json().get("deleted")).isEmpty();
  }
}
