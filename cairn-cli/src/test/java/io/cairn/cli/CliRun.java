package io.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of the {@code cairn} command: exit code, stdout, stderr. */
record CliRun(int code, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * When set, every run through {@link #cairn} and its siblings also passes {@code --store} with
   * this URL: a subclass runs a whole CLI test class on PostgreSQL by setting it around each test.
   */
  static volatile String store;

  /**
   * When set, every run also passes {@code --blobs} with this location, and runs with {@link
   * #environment} (the S3 endpoint and credentials): a subclass reruns a test class on S3 blobs.
   */
  static volatile String blobs;

  /** The environment of runs while {@link #blobs} is set. */
  static volatile java.util.Map<String, String> environment;

  /**
   * The project the runs see, opened in-process: the home, or the store and blobs the runs are
   * given, for tests that prepare or inspect it through the API.
   */
  static io.cairn.Cairn openCairn(Path home) {
    String url = store;
    String location = blobs;
    if (url == null && location == null) {
      return io.cairn.Cairn.open(home);
    }
    io.cairn.Cairn.Builder b = io.cairn.Cairn.builder().home(home);
    if (url != null) {
      b.stateStore(io.cairn.postgres.PostgresStore.open(url));
    }
    if (location != null) {
      b.blobStore(io.cairn.spi.BlobStores.open(location, environment));
    }
    return b.open();
  }

  /** Runs {@code cairn --home HOME args...}. */
  static CliRun cairn(Path home, String... args) {
    List<String> all = new ArrayList<>();
    all.add("--home");
    all.add(home.toString());
    addStore(all);
    all.addAll(List.of(args));
    return raw(all.toArray(String[]::new));
  }

  /** Runs {@code cairn --home HOME args...} with {@code stdin} as its standard input. */
  static CliRun cairnWithStdin(Path home, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    addStore(all);
    all.addAll(List.of(args));
    return run(stdin.getBytes(StandardCharsets.UTF_8), all.toArray(String[]::new)).run;
  }

  /** Runs {@code cairn --home HOME args...}; returns stdout as bytes too. */
  static Bytes cairnBytes(Path home, String... args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    addStore(all);
    all.addAll(List.of(args));
    return run(new byte[0], all.toArray(String[]::new));
  }

  private static void addStore(List<String> args) {
    String url = store;
    if (url != null) {
      args.add("--store");
      args.add(url);
    }
    String location = blobs;
    if (location != null) {
      args.add("--blobs");
      args.add(location);
    }
  }

  /** Runs {@code cairn args...} as given. */
  static CliRun raw(String... args) {
    return run(new byte[0], args).run;
  }

  /** A run and its stdout's exact bytes. */
  record Bytes(CliRun run, byte[] out) {}

  private static Bytes run(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      java.util.Map<String, String> env = blobs == null ? null : environment;
      code =
          env == null
              ? Main.run(args, new ByteArrayInputStream(stdin), o, e)
              : Main.run(args, new ByteArrayInputStream(stdin), o, e, env);
    }
    CliRun r =
        new CliRun(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    return new Bytes(r, out.toByteArray());
  }

  JsonNode json() {
    try {
      return JSON.readTree(out);
    } catch (Exception e) {
      throw new AssertionError("stdout is not JSON: " + out, e);
    }
  }

  List<String> errLines() {
    return err.lines().toList();
  }

  List<String> outLines() {
    return out.lines().toList();
  }
}
