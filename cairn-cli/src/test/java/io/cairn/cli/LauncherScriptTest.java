package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.cli.launcher.EchoJvmOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cairn}, run for real by bash in a copy of the checkout's layout whose jar prints the
 * JVM options it got: read commands start with the quick compiler and a class-data-sharing archive
 * made by their first successful run; computing commands keep the JVM's defaults.
 */
class LauncherScriptTest {
  @TempDir Path root;
  Path cache;
  Path jar;

  @BeforeEach
  void layOutACheckout() throws Exception {
    Files.createDirectories(root.resolve("bin"));
    Path script = root.resolve("bin/cairn");
    Files.copy(Path.of("..", "bin", "cairn"), script);
    script.toFile().setExecutable(true);
    jar = root.resolve("cairn-cli/target/cairn.jar");
    Files.createDirectories(jar.getParent());
    writeJar(jar);
    // newer than every source, so the script does not try to build
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    cache = root.resolve("cache");
  }

  @Test
  void theFirstSuccessfulReadMakesTheArchiveAndLaterReadsMapIt() throws Exception {
    List<String> first = run(Map.of(), "status", "--json");
    assertThat(first).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
    assertThat(first).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    List<Path> archives = archives();
    assertThat(archives).hasSize(1);
    assertThat(archives.get(0).getFileName().toString()).startsWith("cairn-").endsWith(".jsa");

    List<String> second = run(Map.of(), "--home", "/x", "why", "c", "k");
    assertThat(second).contains("-XX:SharedArchiveFile=" + archives.get(0));
    assertThat(second).noneMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
  }

  @Test
  void aFailedReadLeavesNoArchiveAndNoTemporaryFile() throws Exception {
    Process p = start(Map.of(), "ls", "fail");
    assertThat(p.waitFor()).isEqualTo(3);
    assertThat(Files.exists(cache.resolve("cairn"))).isTrue();
    try (Stream<Path> files = Files.list(cache.resolve("cairn"))) {
      assertThat(files.toList()).as("nothing kept from a failed run").isEmpty();
    }
  }

  @Test
  void computingCommandsKeepTheJvmDefaultsAndCdsCanBeTurnedOff() throws Exception {
    List<String> run = run(Map.of(), "run", "-f", "cairn.yaml");
    assertThat(run).doesNotContain("-XX:TieredStopAtLevel=1");
    assertThat(run).noneMatch(o -> o.contains("Archive"));

    List<String> off = run(Map.of("CAIRN_CDS", "0"), "status");
    assertThat(off).contains("-XX:TieredStopAtLevel=1");
    assertThat(off).noneMatch(o -> o.contains("Archive"));
    assertThat(archives()).isEmpty();
  }

  @Test
  void aRebuiltJarGetsAFreshArchiveAndTheStaleOneIsRemoved() throws Exception {
    run(Map.of(), "status");
    Path old = archives().get(0);
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(120)));

    List<String> afterRebuild = run(Map.of(), "status");
    assertThat(afterRebuild)
        .as("an archive only works with the jar it was made from")
        .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
    assertThat(archives()).hasSize(1).doesNotContain(old);
  }

  private List<String> run(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(err).isZero();
    return out.lines().toList();
  }

  private Process start(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/cairn").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    pb.environment().remove("CAIRN_CDS");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/cairn did not finish in 60 s: " + command);
    }
    return p;
  }

  private List<Path> archives() throws IOException {
    Path dir = cache.resolve("cairn");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jsa")).toList();
    }
  }

  private static void writeJar(Path jar) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, EchoJvmOptions.class.getName());
    String entry = EchoJvmOptions.class.getName().replace('.', '/') + ".class";
    Path classFile =
        Path.of(EchoJvmOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve(entry);
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), m)) {
      j.putNextEntry(new JarEntry(entry));
      OutputStream o = j;
      Files.copy(classFile, o);
    }
  }
}
