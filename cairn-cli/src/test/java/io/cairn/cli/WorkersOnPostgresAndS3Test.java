package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.cli.example.SquaresDefinitions;
import io.cairn.postgres.PostgresStore;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStores;
import io.cairn.testkit.Await;
import io.cairn.testkit.Postgres;
import io.cairn.testkit.S3Server;
import io.cairn.testkit.TextFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: {@code cairn worker} processes (real JVMs) on a PostgreSQL store with their blobs in S3
 * ({@code --blobs s3://...}, endpoint and credentials in the children's environment), one killed
 * mid-run. Every item of {@code notes} logs a line and writes a file of its own; both must land in
 * the bucket, readable through {@code cairn log} from here, and none in the home's blobs directory.
 */
class WorkersOnPostgresAndS3Test {
  private static final String COLLECTION = "notes";

  @TempDir Path dir;

  @Test
  void twoWorkersOneKilledComputeEveryItemOnceWithLogsAndFilesInTheBucket() throws Exception {
    int n = 300;
    String url = Postgres.freshDatabase().url();
    String blobs = "s3://" + S3Server.shared().newBucket() + "/proj";
    Map<String, String> env = OnS3Cli.environment();
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(String.format("k%04d", i));
    }
    try (Cairn cairn = open(home, url, blobs, env)) {
      assertThat(cairn.submit(COLLECTION, keys, Map.of())).isEqualTo(n);
    }

    Process killed = worker(home, url, blobs, env, "a");
    Process other = worker(home, url, blobs, env, "b");
    try {
      Path inv = home.resolve("invocations.txt");
      Await.until(
          "a third of the items to be running or done",
          Duration.ofSeconds(60),
          () -> Files.exists(inv) && TextFiles.lines(inv).size() >= n / 3);
      killed.destroyForcibly(); // SIGKILL: no drain; its claims stay RUNNING until taken back
      assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (Cairn look = open(home, url, blobs, env)) {
        Await.until(
            "every item to be completed by the other worker",
            Duration.ofSeconds(60),
            () -> look.stats(COLLECTION).count(Status.COMPLETED) == n);
      }
      other.destroy(); // SIGTERM: drains and exits with the conventional 143
      assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(other.exitValue())
          .as(Files.readString(dir.resolve("worker-b.log")))
          .isEqualTo(143);
    } finally {
      killed.destroyForcibly();
      other.destroyForcibly();
    }

    // Invocations per key: once, or twice when the killed worker ran it first.
    Map<String, List<String>> runs = runs(home);
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(keys);
    String killedPid = Long.toString(killed.pid());
    List<String> again = new ArrayList<>();
    runs.forEach(
        (key, pids) -> {
          if (pids.size() > 1) {
            assertThat(pids).as(key).hasSize(2).containsOnlyOnce(killedPid);
            assertThat(pids.get(0)).as("first run of " + key).isEqualTo(killedPid);
            again.add(key);
          }
        });
    // Its two threads spend their time inside an attempt (running, publishing to the bucket): the
    // kill leaves some claimed.
    assertThat(again).as("items the killed worker was running").isNotEmpty();
    assertThat(runs.values().stream().map(p -> p.get(p.size() - 1)).distinct().count())
        .as("both workers completed items")
        .isEqualTo(2);

    try (Cairn look = open(home, url, blobs, env)) {
      Stats s = look.stats(COLLECTION);
      assertThat(s.total()).isEqualTo(n);
      assertThat(s.count(Status.COMPLETED)).isEqualTo(n);
      assertThat(s.count(Status.RUNNING)).isZero();
      for (String key : keys) {
        Resource r = look.resource(COLLECTION, key);
        assertThat(r.status()).as(key).isEqualTo(Status.COMPLETED);
        assertThat(r.result()).as(key).isEqualTo(5);
        // A rerun is attempt 2 when another worker took it over after the lease, attempt 1 when
        // it found the killed process gone first and gave the claim back.
        assertThat(r.attempts()).as(key).isBetween(1, again.contains(key) ? 2 : 1);
      }

      // The bucket holds every item's file and log, listed through the S3 protocol.
      Set<String> inBucket =
          look.blobs()
              .listAll("")
              .map(BlobInfo::key)
              .map(BlobKey::value)
              .collect(Collectors.toSet());
      for (String key : keys) {
        assertThat(inBucket).contains("resources/" + COLLECTION + "/" + key + "/files/note.txt");
        assertThat(inBucket).contains(look.logBlobKey(COLLECTION, key));
      }
      assertThat(look.blobs().getBytes(BlobKey.of("resources/notes/k0123/files/note.txt")))
          .hasValue("note of k0123\n".getBytes(StandardCharsets.UTF_8));
    }

    // Every log reads back through the CLI with the same --store and --blobs.
    List<String> args =
        new ArrayList<>(
            List.of(
                "--home", home.toString(), "--store", url, "--blobs", blobs, "log", COLLECTION));
    args.addAll(keys);
    CliRun log = run(env, args);
    assertThat(log.code()).as(log.err()).isZero();
    for (String key : keys) {
      assertThat(log.out()).contains("noting " + key + " in pid ");
    }

    Path local = home.resolve("blobs");
    if (Files.exists(local)) {
      try (Stream<Path> files = Files.walk(local)) {
        assertThat(files.filter(Files::isRegularFile).toList())
            .as("nothing of the blobs in the home")
            .isEmpty();
      }
    }
  }

  private static Cairn open(Path home, String url, String blobs, Map<String, String> env) {
    Cairn cairn =
        Cairn.builder()
            .home(home)
            .stateStore(PostgresStore.open(url))
            .blobStore(BlobStores.open(blobs, env))
            .open();
    new SquaresDefinitions().define(cairn);
    return cairn;
  }

  /** A worker JVM with the S3 environment; its output goes to {@code worker-<name>.log}. */
  private Process worker(Path home, String url, String blobs, Map<String, String> env, String name)
      throws Exception {
    Path jar = dir.resolve("example.jar");
    if (!Files.exists(jar)) {
      WorkerProcessTest.exampleJar(jar);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--home",
                home.toString(),
                "--store",
                url,
                "--blobs",
                blobs,
                "worker",
                "--classpath",
                jar.toString(),
                "--collections",
                COLLECTION,
                "--threads",
                "2",
                "--lease",
                "2",
                "--drain",
                "5",
                "--json"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.redirectErrorStream(true)
        .redirectOutput(dir.resolve("worker-" + name + ".log").toFile())
        .start();
  }

  private static CliRun run(Map<String, String> env, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), o, e, env);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The pids that ran each key of {@code notes}, in order. */
  private static Map<String, List<String>> runs(Path home) {
    Map<String, List<String>> runs = new HashMap<>();
    for (String line : TextFiles.lines(home.resolve("invocations.txt"))) {
      String[] f = line.split(" ");
      if (f[0].equals("note")) {
        runs.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[2]);
      }
    }
    return runs;
  }
}
