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
 * as a plain {@code java -jar} and with the options {@code bin/cairn} gives a read command (C1
 * only, serial collector, no perf data, the dynamic class-data-sharing archive it makes on a first
 * run). The commands are interleaved round by round so a busy machine slows all of them alike.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.CliStartup
 * [cairn.jar=cairn-cli/target/cairn.jar] [rounds=9] [home=/tmp/cairn-bench-stats-1m]
 * [baseline.jar]}: a baseline jar (e.g. built from an earlier commit) is timed plainly in the same
 * rounds.
 */
public final class CliStartup {
  private static final long RESOURCES = 1_000_000;
  private static final String TIME = "/usr/bin/time";

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "cairn-cli/target/cairn.jar").toAbsolutePath();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    Path home = Path.of(args.length > 2 ? args[2] : "/tmp/cairn-bench-stats-1m");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no cairn jar at " + jar + ": build cairn-cli first");
    }
    if (!Files.isExecutable(Path.of(TIME))) {
      throw new IllegalStateException("needs GNU time at " + TIME + " (apt-get install time)");
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
    List<String> quick = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");
    List<String> dump = new ArrayList<>(List.of(java));
    dump.addAll(quick);
    dump.addAll(
        List.of(
            "-XX:ArchiveClassesAtExit=" + archive,
            "-Xlog:cds*=off",
            "-jar",
            jar.toString(),
            "--home",
            home.toString(),
            "status"));
    run(dump, true);
    List<String> cds = new ArrayList<>(quick);
    cds.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off"));
    List<String> version = List.of("-jar", jar.toString(), "--version");
    List<String> status = List.of("-jar", jar.toString(), "--home", home.toString(), "status");
    Map<String, List<String>> commands = new LinkedHashMap<>();
    commands.put("hello world (floor)", List.of(java, "-cp", hello.toString(), "Hello"));
    commands.put("--version, java -jar", command(java, List.of(), version));
    commands.put("--version, as bin/cairn", command(java, cds, version));
    commands.put("status 1M, java -jar", command(java, List.of(), status));
    if (args.length > 3) {
      String base = Path.of(args[3]).toAbsolutePath().toString();
      commands.put("--version, baseline jar", List.of(java, "-jar", base, "--version"));
      commands.put(
          "status 1M, baseline jar",
          List.of(java, "-jar", base, "--home", home.toString(), "status"));
    }
    commands.put("status 1M, C1+serial", command(java, quick, status));
    commands.put("status 1M, as bin/cairn", command(java, cds, status));

    for (List<String> c : commands.values()) {
      run(c, true); // warm the page cache; fail loudly if a command does not work
    }
    Map<String, double[]> times = new LinkedHashMap<>();
    Map<String, double[]> cpu = new LinkedHashMap<>();
    commands.keySet().forEach(k -> times.put(k, new double[rounds]));
    commands.keySet().forEach(k -> cpu.put(k, new double[rounds]));
    Path cpuFile = work.resolve("cpu");
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, List<String>> c : commands.entrySet()) {
        // CPU time (user + system) from GNU time: on a shared machine it moves far less than
        // wall time, so it tells a real change from a busy neighbour.
        List<String> timed =
            new ArrayList<>(List.of(TIME, "-f", "%U %S", "-o", cpuFile.toString()));
        timed.addAll(c.getValue());
        times.get(c.getKey())[r] = run(timed, false);
        String[] us = Files.readString(cpuFile).trim().split("\\s+");
        cpu.get(c.getKey())[r] = (Double.parseDouble(us[0]) + Double.parseDouble(us[1])) * 1e3;
      }
    }
    double floor = Bench.median(times.get("hello world (floor)"));
    System.out.printf(
        "%d rounds, interleaved; wall medians (min-max) in ms, ratio to the hello world;"
            + " CPU (user+sys) median%n",
        rounds);
    for (Map.Entry<String, double[]> t : times.entrySet()) {
      double[] v = t.getValue().clone();
      Arrays.sort(v);
      double m = Bench.median(v);
      System.out.printf(
          "%-24s %7.1f ms (%6.1f-%6.1f) %5.1fx   cpu %6.1f ms%n",
          t.getKey(), m, v[0], v[v.length - 1], m / floor, Bench.median(cpu.get(t.getKey())));
    }
    Bench.deleteTree(work);
  }

  private static List<String> command(String java, List<String> options, List<String> args) {
    List<String> c = new ArrayList<>(List.of(java));
    c.addAll(options);
    c.addAll(args);
    return c;
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
