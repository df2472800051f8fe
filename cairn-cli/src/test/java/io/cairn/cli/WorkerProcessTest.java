package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.cli.example.SquaresDefinitions;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import io.cairn.testkit.HomeInvariants;
import io.cairn.testkit.TextFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One scheduler ({@code cairn run --workers 0}) and two {@code cairn worker} processes on one
 * SQLite home, each a real JVM: every job runs and completes exactly once, except the few that the
 * worker killed with {@code kill -9} held at that moment, which the other worker runs again;
 * nothing is left RUNNING or QUEUED, the scheduler exits 0 when the work it queued is done, and a
 * worker stopped by SIGTERM exits with the conventional 143.
 */
class WorkerProcessTest {
  @TempDir Path dir;

  @Test
  void javaTasksFromAJarRunOnceAcrossTwoWorkersOneOfThemKilled() throws Exception {
    int keys = 5_000; // two tasks: 10,000 jobs
    Path home = dir.resolve("home");
    writeNumbers(home.resolve("in"), keys);
    Path jar = exampleJar(dir.resolve("example.jar"));
    String[] code = {"--classpath", jar.toString()};
    runScheduledWithWorkers(home, keys, "squares", code, code, true);
  }

  @Test
  void scriptTasksFromYamlRunOnceAcrossTwoWorkersOneOfThemKilled() throws Exception {
    int keys = 1_000;
    Path home = dir.resolve("home");
    writeNumbers(home.resolve("in"), keys);
    Path file = dir.resolve("cairn.yaml");
    Path inv = home.resolve("invocations.txt");
    Files.writeString(
        file,
        """
        pipeline: squares
        repositories:
          in:  {type: files, dir: %1$s/in, ext: .txt}
          sq:  {type: files, dir: %1$s/sq, ext: .txt}
          out: {type: files, dir: %1$s/out, ext: .txt}
        tasks:
          square:
            script: "echo square {{job}} $PPID >> %2$s; n=$(cat {{links.in}}); echo $((n * n))"
            inputs: {in: in}
            outputs: {sq: sq}
            stdout: sq
          plus:
            script: "echo plus {{job}} $PPID >> %2$s; n=$(cat {{links.sq}}); echo $((n + 1))"
            inputs: {sq: sq}
            outputs: {out: out}
            stdout: out
        """
            .formatted(home, inv));
    String[] code = {"-f", file.toString()};
    runScheduledWithWorkers(home, keys, "squares", code, code, false);
  }

  @Test
  void submittedCollectionItemsRunOnceAcrossTwoWorkersOneOfThemKilled() throws Exception {
    int keys = 2_000;
    Path home = dir.resolve("home");
    Path jar = exampleJar(dir.resolve("example.jar"));
    Path inv = home.resolve("invocations.txt");
    List<String> idents = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      idents.add(key(i));
    }
    try (Cairn cairn = Cairn.open(home)) {
      new SquaresDefinitions().define(cairn); // the same code the workers load from the jar
      assertThat(cairn.submit("cubes", idents, Map.of())).isEqualTo(keys);
    }
    String[] code = {"--classpath", jar.toString(), "--collections", "cubes"};
    long killedPid;
    try (ChildJvm a = worker(home, code);
        ChildJvm b = worker(home, code)) {
      Await.until(
          "a third of the items to be done",
          Duration.ofSeconds(120),
          () -> Files.exists(inv) && TextFiles.lines(inv).size() >= keys / 3);
      a.kill();
      killedPid = a.pid();
      try (Cairn look = Cairn.open(home)) {
        Await.until(
            "every item to be done by the other worker",
            Duration.ofSeconds(120),
            () -> look.stats("cubes").count(Status.COMPLETED) == keys);
      }
      b.terminate();
      assertThat(b.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
    }
    try (Cairn cairn = Cairn.open(home)) {
      new SquaresDefinitions().define(cairn);
      assertThat(cairn.stats("cubes").total()).isEqualTo(keys);
      assertThat(cairn.fetch("cubes", "k00012").result()).isEqualTo(1728);
    }
    assertRanOnceExceptOnTheKilledWorker(inv, keys, killedPid);
    HomeInvariants.assertHealthy(home);
  }

  @Test
  void aWorkerWithoutTheProjectsCodeRefusesToStart() throws Exception {
    Path home = dir.resolve("home");
    CliRun none = CliRun.cairn(home, "worker", "-f", dir.resolve("absent.yaml").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no pipeline file");

    CliRun nothing = CliRun.cairn(home, "worker");
    assertThat(nothing.code()).isEqualTo(2);
    assertThat(nothing.err())
        .contains("cairn worker needs the project's code: -f cairn.yaml")
        .contains("--classpath");

    Path empty = dir.resolve("empty.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(empty))) {
      j.putNextEntry(new JarEntry("README.txt"));
      j.write("no code here\n".getBytes(StandardCharsets.UTF_8));
    }
    CliRun noProvider = CliRun.cairn(home, "worker", "--classpath", empty.toString());
    assertThat(noProvider.code()).isEqualTo(1);
    assertThat(noProvider.err()).contains("no io.cairn.CairnDefinitions provider in --classpath");

    CliRun missing =
        CliRun.cairn(home, "worker", "--classpath", dir.resolve("nope.jar").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no such jar or directory");
  }

  private void runScheduledWithWorkers(
      Path home,
      int keys,
      String pipeline,
      String[] schedulerCode,
      String[] workerCode,
      boolean javaPids)
      throws Exception {
    Path inv = home.resolve("invocations.txt");
    long killedPid;
    try (ChildJvm a = worker(home, workerCode);
        ChildJvm b = worker(home, workerCode);
        ChildJvm scheduler = scheduler(home, schedulerCode)) {
      Await.until(
          "a third of the jobs to be done",
          Duration.ofSeconds(240),
          () -> Files.exists(inv) && TextFiles.lines(inv).size() >= (2 * keys) / 3);
      a.kill();
      killedPid = a.pid();
      assertThat(scheduler.waitFor(Duration.ofSeconds(300))).isZero();
      b.terminate(); // SIGTERM: the conventional status, after a clean drain
      assertThat(b.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
    }

    try (Cairn cairn = Cairn.open(home)) {
      for (String task : List.of("square", "plus")) {
        Stats s = cairn.stats(pipeline + "." + task);
        assertThat(s.count(Status.COMPLETED)).as(task + " completed").isEqualTo(keys);
        assertThat(s.total()).as(task + " total").isEqualTo(keys);
      }
    }
    for (int i = 0; i < keys; i++) {
      String k = key(i);
      assertThat(Files.readString(home.resolve("out/" + k + ".txt")).strip())
          .isEqualTo(Long.toString((long) i * i + 1));
    }
    assertRanOnceExceptOnTheKilledWorker(inv, 2 * keys, javaPids ? killedPid : -1);
    HomeInvariants.assertHealthy(home);
  }

  /**
   * Every job ran; one ran twice only if the killed worker had run it and not yet committed its
   * outcome when it died, and (when lines name the worker's pid) the first run was the killed
   * worker's.
   */
  private static void assertRanOnceExceptOnTheKilledWorker(Path inv, int jobs, long killedPid) {
    Map<String, List<String>> runs = new HashMap<>();
    for (String line : TextFiles.lines(inv)) {
      String[] f = line.split(" ");
      runs.computeIfAbsent(f[0] + " " + f[1], x -> new ArrayList<>()).add(f[2]);
    }
    assertThat(runs).hasSize(jobs);
    List<String> twice = new ArrayList<>();
    runs.forEach(
        (job, pids) -> {
          if (pids.size() > 1) {
            twice.add(job);
            assertThat(pids).as(job).hasSize(2);
            if (killedPid > 0) {
              assertThat(pids.get(0)).as("first run of " + job).isEqualTo(Long.toString(killedPid));
            }
          }
        });
    // The killed worker held at most 1,024 jobs (running, claimed ahead, or with outcomes not yet
    // committed: it claims about 20 ms of work per thread); only those can run a second time.
    assertThat(twice).as("jobs run twice").hasSizeLessThanOrEqualTo(1_024);
  }

  private static ChildJvm worker(Path home, String[] code) throws IOException {
    List<String> args = new ArrayList<>(List.of("--home", home.toString(), "worker"));
    args.addAll(List.of(code));
    args.addAll(List.of("--threads", "2", "--drain", "5"));
    return ChildJvm.start(Main.class, args.toArray(String[]::new));
  }

  private static ChildJvm scheduler(Path home, String[] code) throws IOException {
    List<String> args = new ArrayList<>(List.of("--home", home.toString(), "run"));
    args.addAll(List.of(code));
    args.addAll(List.of("--workers", "0"));
    return ChildJvm.start(Main.class, args.toArray(String[]::new));
  }

  private static void writeNumbers(Path in, int keys) throws IOException {
    Files.createDirectories(in);
    for (int i = 0; i < keys; i++) {
      Files.writeString(in.resolve(key(i) + ".txt"), i + "\n");
    }
  }

  private static String key(int i) {
    return String.format("k%05d", i);
  }

  /** The example project as a user would ship it: its classes and the provider file, one jar. */
  static Path exampleJar(Path jar) throws IOException, URISyntaxException {
    Path classes =
        Path.of(
            SquaresDefinitions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path pkg = classes.resolve("io/cairn/cli/example");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.list(pkg)) {
      for (Path f : files.toList()) {
        j.putNextEntry(new JarEntry("io/cairn/cli/example/" + f.getFileName()));
        Files.copy(f, j);
      }
      j.putNextEntry(new JarEntry("META-INF/services/io.cairn.CairnDefinitions"));
      OutputStream o = j;
      o.write((SquaresDefinitions.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }
}
