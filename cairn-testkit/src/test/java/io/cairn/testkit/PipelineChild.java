package io.cairn.testkit;

import io.cairn.Cairn;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.StreamRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A 3-step pipeline the crash test runs in a child JVM and then again in the test's own. */
public final class PipelineChild {
  static final int JOBS = 40;

  /** step1 -> step2 -> step3 over file repositories; every start of a job is appended to a log. */
  static Pipeline pipeline(Path data, Path invocations) {
    Pipeline.Builder p = Pipeline.builder("crash");
    StreamRepository previous = Repositories.files(data.resolve("s0"), ".txt");
    for (int i = 1; i <= 3; i++) {
      String name = "step" + i;
      StreamRepository out = Repositories.files(data.resolve("s" + i), ".txt");
      p.task(
          PipelineTask.java(
                  name,
                  (job, ctx) -> {
                    TextFiles.appendLine(invocations, name + " " + job.key());
                    Thread.sleep(20);
                    byte[] in = ctx.link("in", StreamRepository.class).read(job.key());
                    ctx.link("out", StreamRepository.class).write(job.key(), in);
                    return null;
                  })
              .input("in", previous)
              .output("out", out));
      previous = out;
    }
    return p.build();
  }

  static void seed(Path data) throws Exception {
    StreamRepository s0 = Repositories.files(data.resolve("s0"), ".txt");
    for (int i = 0; i < JOBS; i++) {
      s0.write(String.format("job%02d", i), ("data " + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path data = Path.of(args[1]);
    Path invocations = Path.of(args[2]);
    Duration lease = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 1);
    try (Cairn cairn = Cairn.builder().home(home).leaseDuration(lease).open()) {
      System.out.println("RUNNING");
      cairn
          .pipeline(pipeline(data, invocations))
          .run(RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20)));
    }
    System.out.println("FINISHED");
  }
}
