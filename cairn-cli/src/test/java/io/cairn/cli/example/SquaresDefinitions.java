package io.cairn.cli.example;

import io.cairn.Cairn;
import io.cairn.CairnDefinitions;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.StreamRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The small project the worker tests pack into a jar: pipeline {@code squares} reads numbers from
 * {@code <home>/in/<key>.txt}, {@code square} writes their squares to {@code <home>/sq}, and {@code
 * plus} adds one into {@code <home>/out}. Collection {@code cubes} cubes its key's number; {@code
 * notes} logs a line and writes {@code note.txt} in its storage directory; {@code naps} sleeps.
 * Every job appends "task key pid" to {@code <home>/invocations.txt} first and takes a few
 * milliseconds, so tests count what ran, where.
 */
public final class SquaresDefinitions implements CairnDefinitions {
  @Override
  public List<Pipeline> define(Cairn cairn) {
    Path home = cairn.home();
    StreamRepository in = Repositories.files(home.resolve("in"), ".txt");
    StreamRepository sq = Repositories.files(home.resolve("sq"), ".txt");
    StreamRepository out = Repositories.files(home.resolve("out"), ".txt");
    Path invocations = home.resolve("invocations.txt");
    cairn.collection(
        "cubes",
        (key, args, ctx) -> {
          record(invocations, "cube " + key);
          // Arg "ms" makes an item slower, so a worker surely holds some at any moment.
          Thread.sleep(((Number) args.getOrDefault("ms", 0)).longValue());
          long n = Long.parseLong(key.substring(1));
          return n * n * n;
        });
    // Logs and a file of its own per item: with S3 blobs both must end up in the bucket.
    cairn.collection(
        "notes",
        (key, args, ctx) -> {
          record(invocations, "note " + key);
          ctx.log().info("noting {} in pid {}", key, ProcessHandle.current().pid());
          Files.writeString(ctx.storage().resolve("note.txt"), "note of " + key + "\n");
          return key.length();
        });
    // Slow items (arg "ms", default a minute), so a test sees what a worker holds while it runs.
    cairn.collection(
        "naps",
        (key, args, ctx) -> {
          record(invocations, "nap " + key);
          Thread.sleep(((Number) args.getOrDefault("ms", 60_000)).longValue());
          return key;
        });
    return List.of(
        Pipeline.builder("squares")
            .task(
                PipelineTask.java(
                        "square",
                        (job, ctx) -> {
                          record(invocations, "square " + job.key());
                          long n = Long.parseLong(read(in, job.key()));
                          sq.write(
                              job.key(), Long.toString(n * n).getBytes(StandardCharsets.UTF_8));
                          return n * n;
                        })
                    .input("in", in)
                    .output("sq", sq))
            .task(
                PipelineTask.java(
                        "plus",
                        (job, ctx) -> {
                          record(invocations, "plus " + job.key());
                          long n = Long.parseLong(read(sq, job.key()));
                          out.write(
                              job.key(), Long.toString(n + 1).getBytes(StandardCharsets.UTF_8));
                          return n + 1;
                        })
                    .input("sq", sq)
                    .output("out", out))
            .build());
  }

  private static String read(StreamRepository repo, String key) throws IOException {
    return new String(repo.read(key), StandardCharsets.UTF_8).strip();
  }

  private static void record(Path file, String line) throws IOException, InterruptedException {
    Files.writeString(
        file,
        line + " " + ProcessHandle.current().pid() + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Thread.sleep(2); // a job that takes a moment, so a kill lands mid-run
  }
}
