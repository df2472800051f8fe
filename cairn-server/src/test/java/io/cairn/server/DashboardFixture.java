package io.cairn.server;

import io.cairn.Cairn;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.RunOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A home worth looking at for the browser test: a collection with completed resources and two error
 * groups, and a two-task pipeline (fetch → render, both parameterized) that already ran once. A job
 * of render for the name "ada" waits for {@link #release} so the test can watch it change.
 */
final class DashboardFixture implements AutoCloseable {
  static final CountDownLatch RELEASE = new CountDownLatch(1);

  final Path home;
  final Cairn cairn;
  final CairnServer server;

  DashboardFixture() throws IOException {
    home = Files.createTempDirectory("cairn-dashboard-test");
    cairn = Cairn.open(home);
    cairn.collection(
        "images",
        (ident, args, ctx) -> {
          if (ident.startsWith("bad-")) {
            throw new IllegalStateException("cannot decode " + ident);
          }
          if (ident.startsWith("huge-")) {
            throw new ArithmeticException("too large: " + ident);
          }
          ctx.log().info("resizing {}", ident);
          return Map.of("width", 640, "ident", ident);
        });
    for (int i = 1; i <= 12; i++) {
      cairn.fetch("images", "ok-" + i);
    }
    for (String id : List.of("bad-1", "bad-2", "huge-1")) {
      try {
        cairn.fetch("images", id);
      } catch (RuntimeException e) {
        // The ERROR resources are what the test looks at.
      }
    }
    Pipeline p =
        Pipeline.builder("report")
            .task(
                PipelineTask.java(
                        "fetch",
                        (job, ctx) -> {
                          ctx.log().info("fetching data for {}", job.params().get("name"));
                          return Map.of("rows", 3);
                        })
                    .param("name", ParamType.STRING))
            .task(
                PipelineTask.java(
                        "render",
                        (job, ctx) -> {
                          Object name = job.params().get("name");
                          ctx.log().info("rendering the report of {}", name);
                          if ("ada".equals(name) && !RELEASE.await(60, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released the job");
                          }
                          ctx.writeOutput(
                              "report.txt", ("report of " + name).getBytes(StandardCharsets.UTF_8));
                          return Map.of("pages", job.params().get("pages"));
                        })
                    .param("name", ParamType.STRING)
                    .param("pages", ParamType.INT, 2)
                    .dependsOn("fetch", job -> Map.of("name", job.params().get("name"))))
            .build();
    cairn
        .pipeline(p)
        .run(
            RunOptions.defaults()
                .withWorkers(1)
                .withTargets(
                    List.of(new RunOptions.Target("render", Map.of("name", "grace", "pages", 2)))));
    server = CairnServer.builder(cairn).pipelines(List.of(p)).port(0).workers(2).start();
  }

  static void release() {
    RELEASE.countDown();
  }

  @Override
  public void close() {
    release();
    server.close();
    cairn.close();
  }
}
