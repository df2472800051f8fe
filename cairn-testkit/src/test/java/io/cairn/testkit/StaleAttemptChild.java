package io.cairn.testkit;

import io.cairn.Cairn;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.StreamRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One job that writes a scratch file and its output, then (in the child) says so and hangs until it
 * is killed; in the test's own JVM it finishes.
 */
public final class StaleAttemptChild {
  static Pipeline pipeline(Path data, boolean hang) {
    StreamRepository in = Repositories.files(data.resolve("in"), ".txt");
    StreamRepository out = Repositories.files(data.resolve("out"), ".txt");
    return Pipeline.builder("stale")
        .task(
            PipelineTask.java(
                    "copy",
                    (job, ctx) -> {
                      Files.writeString(ctx.workDir().resolve("scratch"), "half done");
                      out.write(job.key(), in.read(job.key()));
                      if (hang) {
                        System.out.println("WROTE " + job.key());
                        Thread.sleep(Long.MAX_VALUE);
                      }
                      return null;
                    })
                .input("in", in)
                .output("out", out))
        .build();
  }

  static void seed(Path data) throws Exception {
    Repositories.files(data.resolve("in"), ".txt")
        .write("a", "data of a".getBytes(StandardCharsets.UTF_8));
  }

  public static void main(String[] args) throws Exception {
    try (Cairn cairn =
        Cairn.builder().home(Path.of(args[0])).leaseDuration(Duration.ofSeconds(1)).open()) {
      cairn.pipeline(pipeline(Path.of(args[1]), true)).run(RunOptions.defaults().withWorkers(1));
    }
  }
}
