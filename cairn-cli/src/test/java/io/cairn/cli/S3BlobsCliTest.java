package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.s3.S3BlobStore;
import io.cairn.s3.S3Options;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.testkit.S3Server;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project whose blobs live in S3: {@code --blobs s3://bucket/prefix} or {@code $CAIRN_BLOBS},
 * with the endpoint and credentials from the environment. Outputs and job logs go to the bucket,
 * and the read commands find them there; nothing lands in the home's blobs directory.
 */
class S3BlobsCliTest {
  @TempDir Path home;
  @TempDir Path dir;

  private final S3Server server = S3Server.shared();

  private Map<String, String> s3Environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CAIRN_S3_ENDPOINT", server.endpoint().toString());
    env.put("AWS_REGION", S3Server.REGION);
    env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
    env.remove("CAIRN_BLOBS");
    return env;
  }

  /** Runs the CLI; with {@code --store} first when a subclass runs on PostgreSQL. */
  private CliRun run(Map<String, String> env, String... given) {
    String[] args = given;
    if (CliRun.store != null) {
      args = new String[given.length + 2];
      args[0] = "--store";
      args[1] = CliRun.store;
      System.arraycopy(given, 0, args, 2, given.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, new ByteArrayInputStream(new byte[0]), o, e, env);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void writePipeline() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.txt"), "alpha\n");
    Files.writeString(dir.resolve("in/b.txt"), "beta\n");
    Files.writeString(
        dir.resolve("cairn.yaml"),
        String.join(
            "\n",
            "pipeline: up",
            "repositories:",
            "  input: {type: files, dir: in, ext: .txt}",
            "  shouted: {type: blobs, prefix: shouted}",
            "tasks:",
            "  shout:",
            "    script: \"echo shouting {{job}} >&2; tr a-z A-Z < {{links.src}}\"",
            "    inputs: {src: input}",
            "    outputs: {dst: shouted}",
            "    stdout: dst",
            "    max_tries: 1",
            ""));
  }

  /** Every key in the bucket's prefix, read with the S3 store itself. */
  private List<String> keysIn(String bucket) throws Exception {
    S3Options options =
        S3Options.defaults()
            .withEndpoint(server.endpoint())
            .withRegion(S3Server.REGION)
            .withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
    try (S3BlobStore store = S3BlobStore.open("s3://" + bucket + "/proj", options)) {
      return store.listAll("").map(BlobInfo::key).map(BlobKey::value).toList();
    }
  }

  @Test
  void runWithBlobsOptionPutsOutputsAndLogsInTheBucketAndReadCommandsFindThem() throws Exception {
    writePipeline();
    String bucket = server.newBucket();
    String blobs = "s3://" + bucket + "/proj";
    Map<String, String> env = s3Environment();
    String file = dir.resolve("cairn.yaml").toString();

    CliRun r = run(env, "--home", home.toString(), "--blobs", blobs, "run", "-f", file);

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(keysIn(bucket))
        .contains("shouted/a", "shouted/b", "up/shout/a/log", "up/shout/b/log");
    assertThat(home.resolve("blobs")).doesNotExist();
    CliRun log = run(env, "--home", home.toString(), "--blobs", blobs, "log", "up.shout", "a");
    assertThat(log.code()).as(log.err()).isZero();
    assertThat(log.out()).contains("shouting a");
    CliRun cat =
        run(env, "--home", home.toString(), "--blobs", blobs, "cat", "-f", file, "shout.dst", "b");
    assertThat(cat.code()).as(cat.err()).isZero();
    assertThat(cat.out()).isEqualTo("BETA\n");
  }

  @Test
  void catalogPutAndGetKeepTheObjectInTheBucket() throws Exception {
    String bucket = server.newBucket();
    String blobs = "s3://" + bucket + "/proj";
    Map<String, String> env = s3Environment();
    Path file = dir.resolve("table.csv");
    Files.writeString(file, "a,b\n1,2\n");

    CliRun put = run(env, "--home", home.toString(), "--blobs", blobs, "put", file.toString());

    assertThat(put.code()).as(put.err()).isZero();
    String id = put.out().strip();
    assertThat(keysIn(bucket)).contains("catalog/" + id.substring(0, 2) + "/" + id);
    Path copy = dir.resolve("copy.csv");
    CliRun get =
        run(env, "--home", home.toString(), "--blobs", blobs, "get", id, "-o", copy.toString());
    assertThat(get.code()).as(get.err()).isZero();
    assertThat(copy).hasContent("a,b\n1,2");
    CliRun info = run(env, "--home", home.toString(), "--blobs", blobs, "info", id);
    assertThat(info.out()).contains("text/csv");
    assertThat(home.resolve("blobs")).doesNotExist();
    if (CliRun.store != null) {
      assertThat(home.resolve("cairn.db")).as("the catalog is in PostgreSQL").doesNotExist();
    }
  }

  @Test
  void cairnBlobsInTheEnvironmentChoosesTheBucketAndAnUnknownSchemeIsExplained() throws Exception {
    writePipeline();
    String bucket = server.newBucket();
    Map<String, String> env = s3Environment();
    env.put("CAIRN_BLOBS", "s3://" + bucket + "/proj");
    String file = dir.resolve("cairn.yaml").toString();

    CliRun r = run(env, "--home", home.toString(), "run", "-f", file);

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(keysIn(bucket)).contains("shouted/a", "up/shout/a/log");
    CliRun log = run(env, "--home", home.toString(), "log", "up.shout", "b");
    assertThat(log.out()).contains("shouting b");

    CliRun bad = run(env, "--home", home.toString(), "--blobs", "gs://bucket/x", "status");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("gs://").contains("s3").doesNotContain(S3Server.SECRET_KEY);
  }
}
