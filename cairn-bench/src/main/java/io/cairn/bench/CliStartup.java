package io.cairn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/**
 * Whole-process wall time of the {@code cairn} command, as a user's shell sees it, against the
 * floor of a bare {@code java -cp DIR Hello} in the same run: {@code --version}, and {@code status}
 * on a home of 1,000,000 resources (built once through the state store, kept for later runs), each
 * plain and with a dynamic class-data-sharing archive as {@code bin/cairn} makes one. The commands
 * are interleaved round by round so a busy machine slows all of them alike.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.CliStartup
 * [cairn.jar=cairn-cli/target/cairn.jar] [rounds=9] [home=/tmp/cairn-bench-stats-1m]}
 */
public final class CliStartup {
  private static final long RESOURCES = 1_000_000;

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "cairn-cli/target/cairn.jar").toAbsolutePath();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    Path home = Path.of(args.length > 2 ? args[2] : "/tmp/cairn-bench-stats-1m");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no cairn jar at " + jar + ": build cairn-cli first");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
    }
    StatsAtScale.populate(home, RESOURCES);
    Path work = Files.createTempDirectory("cairn-bench-cli");
    Path hello = compileHello(work);
    Path archive = work.resolve("cairn.jsa");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    // What bin/cairn does on a first run: record the classes a read command loads.
    run(
        List.of(
            java,
            "-XX:ArchiveClassesAtExit=" + archive,
            "-jar",
            jar.toString(),
            "--home",
            home.toString(),
            "status"),
        true);
    String cds = "-XX:SharedArchiveFile=" + archive;
    Map<String, List<String>> commands = new LinkedHashMap<>();
    commands.put("hello world (floor)", List.of(java, "-cp", hello.toString(), "Hello"));
    commands.put("--version", List.of(java, "-jar", jar.toString(), "--version"));
    commands.put("--version, CDS", List.of(java, cds, "-jar", jar.toString(), "--version"));
    commands.put(
        "status 1M",
        List.of(java, "-jar", jar.toString(), "--home", home.toString(), "status"));
    commands.put(
        "status 1M, CDS",
        List.of(java, cds, "-jar", jar.toString(), "--home", home.toString(), "status"));

    for (List<String> c : commands.values()) {
      run(c, true); // warm the page cache; fail loudly if a command does not work
    }
    Map<String, double[]> times = new LinkedHashMap<>();
    commands.keySet().forEach(k -> times.put(k, new double[rounds]));
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, List<String>> c : commands.entrySet()) {
        times.get(c.getKey())[r] = run(c.getValue(), false);
      }
    }
    double floor = Bench.median(times.get("hello world (floor)"));
    System.out.printf(
        "%d rounds, interleaved; medians (min-max) in ms, ratio to the hello world%n", rounds);
    for (Map.Entry<String, double[]> t : times.entrySet()) {
      double[] v = t.getValue().clone();
      Arrays.sort(v);
      double m = Bench.median(v);
      System.out.printf(
          "%-22s %7.1f ms (%5.1f-%5.1f)  %5.1fx%n", t.getKey(), m, v[0], v[v.length - 1], m / floor);
    }
    Bench.deleteTree(work);
  }

  /** Milliseconds from start to exit; output is checked only when {@code check} is set. */
  private static double run(List<String> command, boolean check)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (!check) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = check ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
    int code = p.waitFor();
    double ms = (System.nanoTime() - t0) / 1e6;
    if (check && (code != 0 || out.contains("[warning]"))) {
      throw new IllegalStateException(
          "command failed (exit " + code + "): " + String.join(" ", command) + "\n" + out);
    }
    return ms;
  }

  private static Path compileHello(Path dir) throws IOException {
    Path src = dir.resolve("Hello.java");
    Files.writeString(
        src,
        "public class Hello { public static void main(String[] a) {"
            + " System.out.println(\"hello\"); } }");
    List<String> opts = new ArrayList<>(List.of("-d", dir.toString(), src.toString()));
    if (ToolProvider.getSystemJavaCompiler().run(null, null, null, opts.toArray(String[]::new))
        != 0) {
      throw new IllegalStateException("cannot compile the hello world in " + dir);
    }
    return dir;
  }
}
