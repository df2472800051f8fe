package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.PutOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog across real processes: racing puts and job numbers, and SIGKILL after a put. */
class CatalogProcessTest {
  @TempDir Path dir;

  Path home() {
    return dir.resolve("home");
  }

  @Test
  void threeProcessesPuttingTheSameBytesStoreEachOnceAndNumberJobsWithoutGaps() throws Exception {
    String dataset;
    try (Cairn cairn = Cairn.open(home())) {
      String menu = cairn.catalog().put("m".getBytes(), PutOptions.defaults()).id();
      String config = cairn.catalog().put("c".getBytes(), PutOptions.defaults()).id();
      dataset = cairn.catalog().createDataset(menu, config).id();
    }
    int n = 40;
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(
            ChildJvm.start(
                CatalogChild.class, "race", home().toString(), String.valueOf(n), dataset));
      }
      for (ChildJvm c : children) {
        assertThat(c.waitFor(Duration.ofSeconds(90))).isZero();
      }
      List<Long> jobs = new ArrayList<>();
      for (ChildJvm c : children) {
        c.lines().stream()
            .filter(l -> l.startsWith("JOB "))
            .forEach(l -> jobs.add(Long.parseLong(l.substring(4))));
      }
      assertThat(jobs)
          .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 3L * n).boxed().toList());
    } finally {
      for (ChildJvm c : children) {
        c.close();
      }
    }
    try (Cairn cairn = Cairn.open(home())) {
      List<CatalogObject> all = cairn.catalog().list(ObjectFilter.all(), null, 1000).items();
      assertThat(all).hasSize(n + 2);
      for (int i = 0; i < n; i++) {
        byte[] b = ("shared-" + i).getBytes(StandardCharsets.UTF_8);
        String id = cairn.catalog().put(b, PutOptions.defaults()).id();
        assertThat(cairn.catalog().get(id)).isEqualTo(b);
      }
      assertThat(cairn.catalog().jobs(dataset)).hasSize(3 * n);
    }
    try (Stream<Path> files = Files.walk(home().resolve("blobs/catalog"))) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .filter(f -> !f.getFileName().toString().startsWith(".")))
          .as("one blob per distinct content")
          .hasSize(n + 2);
    }
  }

  @Test
  void aPutThatReturnedSurvivesSigkillOfItsProcess() throws Exception {
    List<String> acked;
    try (ChildJvm child =
        ChildJvm.start(CatalogChild.class, "put-until-killed", home().toString())) {
      child.awaitLine("ACK", Duration.ofSeconds(60));
      Await.until(
          "25 acknowledged puts",
          Duration.ofSeconds(60),
          () -> child.lines().stream().filter(l -> l.startsWith("ACK ")).count() >= 25);
      child.kill();
      acked =
          child.lines().stream()
              .filter(l -> l.startsWith("ACK "))
              .map(l -> l.substring(4))
              .toList();
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(25);
    try (Cairn cairn = Cairn.open(home())) {
      for (int i = 0; i < acked.size(); i++) {
        assertThat(cairn.catalog().get(acked.get(i)))
            .isEqualTo(("acked-" + i).getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
