package io.cairn.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.spi.BlobKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs are published when the attempt completes, and a key another task writes is ready only
 * when the job producing it is COMPLETED.
 */
class PipelineOutputsTest {
  @TempDir Path home;
  @TempDir Path data;
  Cairn cairn;
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  @BeforeEach
  void open() {
    cairn = Cairn.open(home);
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  static RunOptions quick() {
    return RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20));
  }

  int calls(String task) {
    return calls.getOrDefault(task, new AtomicInteger()).get();
  }

  void count(String task) {
    calls.computeIfAbsent(task, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Every kind of output a Java job can write, under its key. */
  final class Outputs {
    final StreamRepository files = Repositories.files(data.resolve("files"), ".txt");
    final Repository dirs = Repositories.directories(data.resolve("dirs"));
    final ValueRepository meta = Repositories.metadata(data.resolve("meta"));
    final StreamRepository blobs = Repositories.blobs(cairn.blobs(), "outs");
    final ValueRepository memory = Repositories.inMemory("memory");

    void writeAll(String key, JobContext ctx) throws Exception {
      files.write(key, ("text of " + key).getBytes(UTF_8)); // a captured repository
      Path d = ((io.cairn.internal.pipeline.repo.DirectoryRepository) dirs).create(key);
      Files.writeString(d.resolve("part-1"), "one");
      ctx.link("meta", ValueRepository.class).put(key, Map.of("words", 3));
      ctx.link("blobs", StreamRepository.class).write(key, "blob".getBytes(UTF_8));
      memory.put(key, List.of(1, 2));
      ctx.writeOutput("summary.txt", "summary".getBytes(UTF_8));
      Files.writeString(ctx.workDir().resolve("scratch"), "x");
      // the attempt reads its own writes
      assertThat(files.read(key)).isEqualTo(("text of " + key).getBytes(UTF_8));
      assertThat(meta.get(key)).contains(Map.of("words", 3));
    }

    PipelineTask.Builder links(PipelineTask.Builder t) {
      return t.output("files", files)
          .output("dirs", dirs)
          .output("meta", meta)
          .output("blobs", blobs)
          .output("memory", memory);
    }

    List<Repository> all() {
      return List.of(files, dirs, meta, blobs, memory);
    }
  }

  StreamRepository seed(String... keys) throws Exception {
    StreamRepository docs = Repositories.files(data.resolve("docs"), ".txt");
    for (String k : keys) {
      docs.write(k, k.getBytes(UTF_8));
    }
    return docs;
  }

  /**
   * What is left of staging: files beside a repository's keys, anything under its staging
   * directory, or the pipeline's work dir.
   */
  List<Path> leftovers(String pipeline) throws Exception {
    List<Path> roots =
        List.of(
            home.resolve("work").resolve(pipeline),
            data.resolve("files/.staging").resolve(pipeline),
            data.resolve("dirs/.staging").resolve(pipeline),
            data.resolve("meta/.staging").resolve(pipeline));
    List<Path> out = new java.util.ArrayList<>();
    for (String repo : List.of("files", "dirs", "meta")) {
      // files a Java job staged beside their keys (hidden names, never listed as keys)
      if (Files.isDirectory(data.resolve(repo))) {
        try (Stream<Path> all = Files.list(data.resolve(repo))) {
          all.filter(p -> p.getFileName().toString().startsWith(".tmp-")).forEach(out::add);
        }
      }
    }
    for (Path r : roots) {
      if (Files.exists(r)) {
        try (Stream<Path> all = Files.walk(r)) {
          all.filter(Files::isRegularFile).forEach(out::add);
        }
        try (Stream<Path> all = Files.walk(r, 3)) {
          // <task>/<key>/<attempt>: an attempt directory, even empty, is a leftover
          all.filter(p -> r.relativize(p).getNameCount() == 3).forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void aJavaJobThatWritesItsOutputsAndThenThrowsPublishesNothingAndItsDownstreamIsBlocked()
      throws Exception {
    StreamRepository docs = seed("a");
    Outputs outs = new Outputs();
    Pipeline p =
        Pipeline.builder("fail")
            .task(
                outs.links(
                    PipelineTask.java(
                            "up",
                            (job, ctx) -> {
                              count("up");
                              outs.writeAll(job.key(), ctx);
                              throw new IllegalStateException("written, then failed");
                            })
                        .input("doc", docs)
                        .maxTries(2)
                        .backoff(Duration.ZERO)))
            .task(
                PipelineTask.java(
                        "down",
                        (job, ctx) -> {
                          count("down");
                          return null;
                        })
                    .input("in", outs.files))
            .build();
    PipelineRunner runner = cairn.pipeline(p);
    RunSummary r = runner.run(quick());

    assertThat(calls("up")).isEqualTo(2);
    assertThat(r.aborted()).isEqualTo(1);
    for (Repository repo : outs.all()) {
      assertThat(repo.keys()).as(repo.describe()).isEmpty();
      assertThat(repo.contains("a")).as(repo.describe()).isFalse();
    }
    assertThat(cairn.blobs().exists(runner.jobDirectory("up", "a").resolve("summary.txt")))
        .isFalse();
    assertThat(Files.exists(data.resolve("files/a.txt"))).isFalse();
    assertThat(calls("down")).isZero();
    TaskStatus down = runner.status().get(1);
    assertThat(down.blocked()).as("the job the failed attempt would have made").isEqualTo(1);
    assertThat(down.jobs().total()).isZero();
    assertThat(leftovers("fail")).isEmpty();
  }

  @Test
  void aYamlScriptThatWritesItsLinkAndExitsOnePublishesNothingAndItsDownstreamIsBlocked()
      throws Exception {
    seed("a");
    String yaml =
        """
        pipeline: scripts
        repositories:
          docs: {type: files, dir: docs, ext: .txt}
          out:  {type: files, dir: files, ext: .txt}
          meta: {type: metadata, dir: meta}
          done: {type: files, dir: done, ext: .txt}
        tasks:
          up:
            script: "cp {{links.doc}} {{links.out}} && echo '{}' > {{links.meta}} && exit 1"
            inputs: {doc: docs}
            outputs: {out: out, meta: meta}
            max_tries: 1
          down:
            script: "cp {{links.in}} {{links.done}}"
            inputs: {in: out}
            outputs: {done: done}
        """;
    PipelineRunner runner = cairn.pipeline(PipelineYaml.parse(yaml, data, "cairn.yaml", cairn));
    RunSummary r = runner.run(quick());

    assertThat(r.aborted()).isEqualTo(1);
    assertThat(cairn.resource("scripts.up", "a").error()).contains("exited with code 1");
    assertThat(runner.link("up", "out").contains("a")).isFalse();
    assertThat(runner.link("up", "meta").contains("a")).isFalse();
    assertThat(Files.exists(data.resolve("files/a.txt"))).isFalse();
    assertThat(cairn.stats("scripts.down").total()).as("down never ran").isZero();
    assertThat(runner.link("down", "done").keys()).isEmpty();
    assertThat(runner.status().get(1).blocked()).isEqualTo(1);
    assertThat(leftovers("scripts")).isEmpty();
  }

  @Test
  void aSuccessfulJobPublishesEveryOutputAndLeavesNoStagingBehind() throws Exception {
    StreamRepository docs = seed("a", "b");
    Outputs outs = new Outputs();
    StreamRepository captured = Repositories.files(data.resolve("captured"), ".out");
    Pipeline p =
        Pipeline.builder("ok")
            .task(
                outs.links(
                    PipelineTask.java(
                            "up",
                            (job, ctx) -> {
                              outs.writeAll(job.key(), ctx);
                              return null;
                            })
                        .input("doc", docs)))
            .task(
                PipelineTask.script(
                        "echo",
                        new ScriptSpec(
                            "cat {{links.in}} && cp {{links.in}} {{links.copy}}",
                            null,
                            "captured",
                            null,
                            Map.of(),
                            null))
                    .input("in", outs.files)
                    .output("captured", captured)
                    .output("copy", Repositories.files(data.resolve("copies"), ".txt")))
            .build();
    PipelineRunner runner = cairn.pipeline(p);
    runner.run(quick());

    for (String k : List.of("a", "b")) {
      assertThat(outs.files.read(k)).isEqualTo(("text of " + k).getBytes(UTF_8));
      assertThat(Files.readString(data.resolve("dirs").resolve(k).resolve("part-1")))
          .isEqualTo("one");
      assertThat(outs.meta.get(k)).contains(Map.of("words", 3));
      assertThat(outs.blobs.read(k)).isEqualTo("blob".getBytes(UTF_8));
      assertThat(outs.memory.get(k)).contains(List.of(1, 2));
      BlobKey summary = runner.jobDirectory("up", k).resolve("summary.txt");
      assertThat(cairn.blobs().getBytes(summary)).hasValueSatisfying(b -> assertThat(b).hasSize(7));
      assertThat(captured.read(k)).isEqualTo(("text of " + k).getBytes(UTF_8));
      assertThat(Files.readString(data.resolve("copies").resolve(k + ".txt")))
          .isEqualTo("text of " + k);
    }
    assertThat(outs.dirs.keys()).containsExactly("a", "b");
    assertThat(leftovers("ok")).isEmpty();
    assertThat(Files.exists(data.resolve("copies/.staging/ok/echo/a"))).isFalse();
  }

  @Test
  void aDownstreamJobNeverStartsWhileItsUpstreamJobIsRunning() throws Exception {
    StreamRepository docs = seed("a");
    StreamRepository mid = Repositories.files(data.resolve("mid"), ".txt");
    CountDownLatch wrote = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Status> upSeenByDown = new CopyOnWriteArrayList<>();
    Pipeline p =
        Pipeline.builder("latch")
            .task(
                PipelineTask.java(
                        "up",
                        (job, ctx) -> {
                          mid.write(job.key(), "x".getBytes(UTF_8));
                          wrote.countDown();
                          if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("never released");
                          }
                          return null;
                        })
                    .input("doc", docs)
                    .output("mid", mid))
            .task(
                PipelineTask.java(
                        "down",
                        (job, ctx) -> {
                          upSeenByDown.add(cairn.status("latch.up", job.key()));
                          return null;
                        })
                    .input("in", mid))
            .build();
    PipelineRunner runner = cairn.pipeline(p);
    AtomicReference<RunSummary> summary = new AtomicReference<>();
    Thread run = new Thread(() -> summary.set(runner.run(quick())), "test-run");
    run.start();
    try {
      assertThat(wrote.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(cairn.status("latch.up", "a")).isEqualTo(Status.RUNNING);
      assertThat(mid.contains("a")).as("not visible while up runs").isFalse();
      // A user who puts the key there by hand meanwhile does not make down start either: the
      // job that writes it is running.
      Files.writeString(data.resolve("mid/a.txt"), "by hand");
      assertThat(runner.trace("a").get(1).why()).isEqualTo("waiting for up/a (running)");
      assertThat(upSeenByDown).isEmpty();
      assertThat(cairn.stats("latch.down").total()).isZero();
    } finally {
      release.countDown();
    }
    run.join(30_000);
    assertThat(summary.get().completed()).isEqualTo(2);
    assertThat(upSeenByDown).containsExactly(Status.COMPLETED);
    assertThat(mid.read("a")).isEqualTo("x".getBytes(UTF_8));
  }

  @Test
  void aKeyPutThereFromOutsideIsReadyAtOnceButAFailedProducerOfTheSameKeyHoldsItBack()
      throws Exception {
    StreamRepository docs = seed("made", "broken");
    StreamRepository mid = Repositories.files(data.resolve("mid"), ".txt");
    Pipeline p =
        Pipeline.builder("outside")
            .task(
                PipelineTask.java(
                        "up",
                        (job, ctx) -> {
                          if (job.key().equals("broken")) {
                            throw new IllegalStateException("broken");
                          }
                          mid.write(job.key(), "made".getBytes(UTF_8));
                          return null;
                        })
                    .input("doc", docs)
                    .output("mid", mid)
                    .maxTries(1))
            .task(
                PipelineTask.java(
                        "down",
                        (job, ctx) -> {
                          count("down:" + job.key());
                          return null;
                        })
                    .input("in", mid))
            .build();
    mid.write("injected", "from outside".getBytes(UTF_8)); // no job of up has this key
    mid.write("broken", "an old output".getBytes(UTF_8)); // up/broken will fail
    PipelineRunner runner = cairn.pipeline(p);
    runner.run(quick());

    assertThat(calls("down:injected")).isEqualTo(1);
    assertThat(calls("down:made")).isEqualTo(1);
    assertThat(calls("down:broken")).as("its producer failed").isZero();
    assertThat(runner.trace("broken").get(1).why()).isEqualTo("waiting for up/broken (aborted)");
    assertThat(runner.status().get(1).blocked()).isEqualTo(1);
  }
}
