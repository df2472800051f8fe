package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.cli.example.SquaresDefinitions;
import io.cairn.postgres.PostgresStore;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import io.cairn.testkit.Postgres;
import io.cairn.testkit.TextFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn worker} processes (real JVMs) sharing one PostgreSQL store and one home directory
 * for the blobs, with the faults of issue 10: a worker killed, a worker paused past its lease, the
 * database stopped for 10 s. Every invocation of the collection's function appends "cube key pid"
 * to {@code invocations.txt}, so the test counts what ran, where.
 */
class WorkersOnPostgresTest {
  private static final String COLLECTION = "cubes";

  @TempDir Path dir;

  @Test
  void fourWorkersComputeTenThousandItemsEachExactlyOnce() throws Exception {
    int n = 10_000;
    String url = Postgres.freshDatabase().url();
    Path home = submit(url, n);
    List<ChildJvm> workers = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        workers.add(worker(home, url, "3"));
      }
      List<String> pids = workers.stream().map(w -> Long.toString(w.pid())).toList();
      // ps on the shared store names the holder (host, pid) of what runs, and since when.
      Await.until(
          "cairn ps to show an item a worker holds",
          Duration.ofSeconds(120),
          () -> {
            CliRun ps = CliRun.raw("--home", home.toString(), "--store", url, "ps", "--json");
            String out = ps.out().replaceAll("\\s", "");
            return ps.code() == 0
                && pids.stream()
                    .anyMatch(
                        p -> out.contains("\"pid\":" + p) || out.contains("\"pid\":\"" + p + "\""))
                && out.contains("\"host\":\"")
                && out.contains("\"startedAt\":\"");
          });
      awaitCompleted(home, url, n, Duration.ofSeconds(300));
      stop(workers);
    } finally {
      closeAll(workers);
    }
    Map<String, List<String>> runs = runs(home);
    assertThat(runs).hasSize(n);
    assertThat(runs.values()).allSatisfy(pids -> assertThat(pids).hasSize(1));
    // Every worker took a share: the claims spread over the processes.
    assertThat(runs.values().stream().map(p -> p.get(0)).distinct().count()).isEqualTo(4);
    assertSettled(home, url, n, a -> a == 1);
  }

  @Test
  void aKilledWorkersItemsAreRunAgainByTheOthersOnceItsLeaseExpired() throws Exception {
    int n = 2_000;
    String url = Postgres.freshDatabase().url();
    Path home = submit(url, n);
    List<ChildJvm> workers = new ArrayList<>();
    long killed;
    try {
      for (int i = 0; i < 4; i++) {
        workers.add(worker(home, url, "2"));
      }
      awaitInvocations(home, n / 3);
      workers.get(0).kill(); // SIGKILL: no drain, its claims stay RUNNING until the lease ends
      killed = workers.get(0).pid();
      awaitCompleted(home, url, n, Duration.ofSeconds(240));
      stop(workers.subList(1, 4));
    } finally {
      closeAll(workers);
    }
    Map<String, List<String>> runs = runs(home);
    assertThat(runs).hasSize(n);
    List<String> again = rerun(runs, killed, true);
    assertThat(again).isNotEmpty();
    try (Cairn look = open(home, url)) {
      for (String key : again) {
        // 2 when another worker took it over after its lease expired; 1 when one found the
        // killed process gone (same host) and gave its claim back first, which is no attempt.
        assertThat(look.resource(COLLECTION, key).attempts()).as(key).isBetween(1, 2);
        assertThat(look.resource(COLLECTION, key).status()).isEqualTo(Status.COMPLETED);
      }
    }
    assertSettled(home, url, n, a -> a == 1 || a == 2);
  }

  @Test
  void aWorkerPausedPastItsLeaseHasItsLateOutcomesRefused() throws Exception {
    int n = 2_000;
    String url = Postgres.freshDatabase().url();
    // Items of 20 ms: trivial ones finish the whole queue between two looks of the test, and
    // the worker to be paused would hold nothing when it is paused.
    Path home = submit(url, n, Map.of("ms", 20));
    List<ChildJvm> workers = new ArrayList<>();
    // The paused worker's log goes to a file: its "fenced" lines are what this test looks for.
    Path log = dir.resolve("paused.log");
    Process paused = workerWithLog(home, url, "2", log);
    List<String> again;
    List<String> heldAtPause;
    try {
      for (int i = 0; i < 2; i++) {
        workers.add(worker(home, url, "2"));
      }
      String pid = Long.toString(paused.pid());
      Await.until(
          "the worker to be paused to be running items",
          Duration.ofSeconds(60),
          () -> runs(home).values().stream().filter(p -> p.contains(pid)).count() >= 50);
      signal("STOP", paused.pid()); // a partition from the database, as the others see it
      heldAtPause = heldBy(home, url, paused.pid());
      assertThat(heldAtPause).as("items the paused worker held").isNotEmpty();
      Await.until(
          "the paused worker's items to be taken over",
          Duration.ofSeconds(60),
          () -> heldBy(home, url, paused.pid()).isEmpty());
      signal("CONT", paused.pid());
      awaitCompleted(home, url, n, Duration.ofSeconds(240));
      stop(workers);
      paused.destroy(); // SIGTERM
      assertThat(paused.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(paused.exitValue()).isEqualTo(143);
      // What it held when it woke had run elsewhere meanwhile: the outcomes it still had to
      // store were refused, and it logged them as fenced.
      assertThat(Files.readString(log)).contains("fenced: outcome of cubes/k");
      again = rerun(runs(home), paused.pid(), false);
    } finally {
      closeAll(workers);
      paused.destroyForcibly();
    }
    assertThat(runs(home)).hasSize(n);
    try (Cairn look = open(home, url)) {
      // What it held was claimed again by the others (attempt 2) and completed once.
      for (String key : heldAtPause) {
        Resource r = look.resource(COLLECTION, key);
        assertThat(r.attempts()).as(key).isEqualTo(2);
        assertThat(r.status()).isEqualTo(Status.COMPLETED);
      }
      for (String key : again) {
        Resource r = look.resource(COLLECTION, key);
        assertThat(r.attempts()).as(key).isEqualTo(2);
        assertThat(r.status()).isEqualTo(Status.COMPLETED);
      }
    }
    assertSettled(home, url, n, a -> a == 1 || a == 2);
  }

  /** The keys {@code cairn ps} shows held by the process {@code pid} (live or expired lease). */
  private static List<String> heldBy(Path home, String url, long pid) {
    CliRun ps = CliRun.raw("--home", home.toString(), "--store", url, "ps", "--json");
    assertThat(ps.code()).as(ps.err()).isZero();
    List<String> keys = new ArrayList<>();
    com.fasterxml.jackson.databind.JsonNode running;
    try {
      running = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ps.out()).get("running");
    } catch (IOException e) {
      throw new AssertionError("cairn ps --json printed no JSON: " + ps.out(), e);
    }
    if (running == null) {
      return keys; // nothing running
    }
    for (com.fasterxml.jackson.databind.JsonNode row : running) {
      if (row.get("pid").asLong() == pid) {
        keys.add(row.get("key").asText());
      }
    }
    return keys;
  }

  /** A worker as {@link #worker}, as a plain process whose output and log go to {@code log}. */
  private Process workerWithLog(Path home, String url, String lease, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(workerArgs(home, url, lease));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  void workersRideOutTheDatabaseStoppedForTenSeconds() throws Exception {
    int n = 2_000;
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = dir.resolve("pgdata");
    EmbeddedPostgres pg = start(data, port);
    String url = "postgresql://postgres@localhost:" + port + "/postgres";
    List<ChildJvm> workers = new ArrayList<>();
    try {
      Path home = submit(url, n);
      // A lease longer than the outage: the workers' claims outlive it, so nothing runs twice.
      for (int i = 0; i < 2; i++) {
        workers.add(worker(home, url, "30"));
      }
      awaitInvocations(home, n / 3);
      pg.close();
      Thread.sleep(10_000); // the outage itself, not a wait for a result
      pg = start(data, port);
      awaitCompleted(home, url, n, Duration.ofSeconds(240));
      stop(workers);
      Map<String, List<String>> runs = runs(home);
      assertThat(runs).hasSize(n);
      assertThat(runs.values()).allSatisfy(pids -> assertThat(pids).hasSize(1));
      assertSettled(home, url, n, a -> a == 1);
    } finally {
      closeAll(workers);
      pg.close();
    }
  }

  private static EmbeddedPostgres start(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("fsync", "off")
        .setServerConfig("max_connections", "100")
        .start();
  }

  /** A home whose store holds {@code n} submitted items of the example collection. */
  private Path submit(String url, int n) throws IOException {
    return submit(url, n, Map.of());
  }

  private Path submit(String url, int n, Map<String, ?> args) throws IOException {
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(String.format("k%05d", i));
    }
    try (Cairn cairn = open(home, url)) {
      assertThat(cairn.submit(COLLECTION, keys, args)).isEqualTo(n);
    }
    return home;
  }

  private static Cairn open(Path home, String url) {
    Cairn cairn = Cairn.builder().home(home).stateStore(PostgresStore.open(url)).open();
    new SquaresDefinitions().define(cairn);
    return cairn;
  }

  private ChildJvm worker(Path home, String url, String leaseSeconds) throws Exception {
    return ChildJvm.start(Main.class, workerArgs(home, url, leaseSeconds).toArray(String[]::new));
  }

  private List<String> workerArgs(Path home, String url, String leaseSeconds) throws Exception {
    Path jar = dir.resolve("example.jar");
    if (!Files.exists(jar)) {
      WorkerProcessTest.exampleJar(jar);
    }
    return List.of(
        "--home",
        home.toString(),
        "--store",
        url,
        "worker",
        "--classpath",
        jar.toString(),
        "--collections",
        COLLECTION,
        "--threads",
        "2",
        "--lease",
        leaseSeconds,
        "--drain",
        "5",
        "--json");
  }

  private static void awaitInvocations(Path home, int atLeast) throws InterruptedException {
    Path inv = home.resolve("invocations.txt");
    Await.until(
        atLeast + " invocations",
        Duration.ofSeconds(180),
        () -> Files.exists(inv) && TextFiles.lines(inv).size() >= atLeast);
  }

  private static void awaitCompleted(Path home, String url, int n, Duration within)
      throws InterruptedException {
    try (Cairn look = open(home, url)) {
      Await.until(
          "all " + n + " items completed",
          within,
          () -> look.stats(COLLECTION).count(Status.COMPLETED) == n);
    }
  }

  /** SIGTERM: each worker drains and exits with the conventional 143. */
  private static void stop(List<ChildJvm> workers) throws InterruptedException {
    workers.forEach(ChildJvm::terminate);
    for (ChildJvm w : workers) {
      assertThat(w.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
    }
  }

  private static void closeAll(List<ChildJvm> workers) throws InterruptedException {
    for (ChildJvm w : workers) {
      w.close();
    }
  }

  private static void signal(String name, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
    assertThat(p.waitFor()).isZero();
  }

  /** The pids that ran each key, in order. */
  private static Map<String, List<String>> runs(Path home) {
    Map<String, List<String>> runs = new HashMap<>();
    Path inv = home.resolve("invocations.txt");
    if (!Files.exists(inv)) {
      return runs;
    }
    for (String line : TextFiles.lines(inv)) {
      String[] f = line.split(" ");
      runs.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[2]);
    }
    return runs;
  }

  /**
   * The keys run twice; each was run by {@code lost} (the worker that died or paused) and by
   * another, {@code lost} first when it died: nothing else runs twice. (A paused worker may, on
   * waking, still start an attempt it had claimed ahead, after another worker ran it.)
   */
  private static List<String> rerun(Map<String, List<String>> runs, long lost, boolean first) {
    String pid = Long.toString(lost);
    List<String> again = new ArrayList<>();
    runs.forEach(
        (key, pids) -> {
          if (pids.size() > 1) {
            assertThat(pids).as(key).hasSize(2).containsOnlyOnce(pid);
            if (first) {
              assertThat(pids.get(0)).as("first run of " + key).isEqualTo(pid);
            }
            again.add(key);
          }
        });
    return again;
  }

  /** Every item COMPLETED once, with the attempts allowed, its result right; nothing RUNNING. */
  private static void assertSettled(Path home, String url, int n, IntPredicate attempts) {
    try (Cairn look = open(home, url)) {
      Stats s = look.stats(COLLECTION);
      assertThat(s.total()).isEqualTo(n);
      assertThat(s.count(Status.COMPLETED)).isEqualTo(n);
      assertThat(s.count(Status.RUNNING)).isZero();
      Resource r = look.resource(COLLECTION, "k00012");
      assertThat(r.result()).isEqualTo(1728);
      assertThat(attempts.test(r.attempts())).isTrue();
    }
  }
}
