package io.cairn.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.PutOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline whose task writes its outputs to a catalog dataset. */
class CatalogRepositoryTest {
  @TempDir Path home;
  @TempDir Path data;

  /** The project at {@code home}; a subclass reruns these tests with its blobs elsewhere. */
  Cairn openCairn(Path home) {
    return Cairn.open(home);
  }

  @Test
  void aTasksOutputsAreContentAddressedAndKeyedByJobAndAFailedAttemptRegistersNothing()
      throws Exception {
    try (Cairn cairn = openCairn(home)) {
      Catalog catalog = cairn.catalog();
      String dataset =
          catalog
              .createDataset(
                  catalog.put("menu".getBytes(UTF_8), PutOptions.defaults()).id(),
                  catalog.put("config".getBytes(UTF_8), PutOptions.defaults()).id())
              .id();
      StreamRepository docs = Repositories.files(data.resolve("docs"), ".txt");
      docs.write("a", "alpha".getBytes(UTF_8));
      docs.write("b", "beta".getBytes(UTF_8));
      docs.write("bad", "x".getBytes(UTF_8));
      StreamRepository out = Repositories.catalog(catalog, dataset);
      Pipeline p =
          Pipeline.builder("upper")
              .task(
                  PipelineTask.java(
                          "upper",
                          (job, ctx) -> {
                            byte[] in = docs.read(job.key());
                            out.write(
                                job.key(), new String(in, UTF_8).toUpperCase().getBytes(UTF_8));
                            if (job.key().equals("bad")) {
                              throw new IllegalStateException("written, then failed");
                            }
                            return null;
                          })
                      .input("doc", docs)
                      .output("out", out)
                      .maxTries(1))
              .build();
      RunSummary r =
          cairn
              .pipeline(p)
              .run(RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20)));
      assertThat(r.aborted()).isEqualTo(1);
      assertThat(out.keys()).containsExactlyInAnyOrder("a", "b");
      assertThat(out.read("a")).isEqualTo("ALPHA".getBytes(UTF_8));
      assertThat(out.contains("bad")).isFalse();
      @SuppressWarnings("unchecked")
      Map<String, Object> info = (Map<String, Object>) out.info("b").orElseThrow();
      assertThat(catalog.get((String) info.get("id"))).isEqualTo("BETA".getBytes(UTF_8));
      List<CatalogObject> inDataset =
          catalog.list(ObjectFilter.all().withDataset(dataset), null, 100).items();
      assertThat(inDataset).hasSize(2);
      assertThat(catalog.jobs(dataset)).hasSize(2);
      assertThat(catalog.placements((String) info.get("id")).get(0).partition()).isEqualTo("b");
    }
  }

  @Test
  void aYamlScriptTaskWritesToACatalogRepository() throws Exception {
    try (Cairn cairn = openCairn(home)) {
      Catalog catalog = cairn.catalog();
      String dataset =
          catalog
              .createDataset(
                  catalog.put("menu".getBytes(UTF_8), PutOptions.defaults()).id(),
                  catalog.put("config".getBytes(UTF_8), PutOptions.defaults()).id())
              .id();
      Repositories.files(data.resolve("docs"), ".txt").write("k1", "hello".getBytes(UTF_8));
      Path yaml = data.resolve("cairn.yaml");
      java.nio.file.Files.writeString(
          yaml,
          "pipeline: y\n"
              + "repositories:\n"
              + "  docs: {type: files, dir: docs, ext: .txt}\n"
              + "  out: {type: catalog, dataset: "
              + dataset
              + "}\n"
              + "tasks:\n"
              + "  copy:\n"
              + "    script: \"cat {{links.doc}}\"\n"
              + "    stdout: out\n"
              + "    inputs: {doc: docs}\n"
              + "    outputs: {out: out}\n");
      Pipeline p = PipelineYaml.load(yaml, cairn);
      RunSummary r =
          cairn
              .pipeline(p)
              .run(RunOptions.defaults().withWorkers(1).withPoll(Duration.ofMillis(20)));
      assertThat(r.aborted()).isZero();
      StreamRepository out = Repositories.catalog(catalog, dataset);
      assertThat(out.read("k1")).isEqualTo("hello".getBytes(UTF_8));
    }
  }
}
