package io.cairn.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one attempt of a resource runs, in a form that can be stored with a QUEUED resource and
 * picked up by any worker: either a registered Java function by name with its arguments, or a
 * rendered script. The engine builds it; a {@link ResourceExecutor} runs it.
 */
public sealed interface WorkSpec permits WorkSpec.Call, WorkSpec.Script {

  /** CPU and memory an attempt needs; a scheduler or a cluster executor reserves them. */
  record Needs(int cpus, long memoryBytes) {
    public static final Needs NONE = new Needs(0, 0);

    public Needs {
      if (cpus < 0 || memoryBytes < 0) {
        throw new IllegalArgumentException(
            "needs must not be negative, got cpus=" + cpus + ", memory=" + memoryBytes);
      }
    }
  }

  /**
   * A Java function registered under {@code function} (for example {@code collection:pages} or
   * {@code pipeline:etl/clean}), called with {@code argsJson}. Only a JVM that has the user's code
   * (the caller's, or a {@code cairn worker} given it) can run it.
   *
   * @param function the registered name
   * @param argsJson the arguments as canonical JSON text (an object)
   * @param needs what the attempt needs
   */
  record Call(String function, String argsJson, Needs needs) implements WorkSpec {
    public Call {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(argsJson, "argsJson");
      needs = needs == null ? Needs.NONE : needs;
    }
  }

  /** A file moved between the blob store and the attempt's working directory. */
  record Transfer(BlobKey blob, String path) {
    public Transfer {
      Objects.requireNonNull(blob, "blob");
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * Where a script's stdin comes from. A file or a blob is streamed as the script reads it (a file
   * is handed to the process directly, with no copy); a text is small, rendered data (a value or a
   * metadata link).
   */
  sealed interface Stdin permits Stdin.File, Stdin.Blob, Stdin.Text {
    /**
     * The bytes as a stream, for an executor that feeds them itself (one that can hand a file to
     * its process directly need not).
     *
     * @param blobs the attempt's blob store, where a {@link Blob} is read from
     * @throws java.io.FileNotFoundException naming the file or blob that does not exist
     */
    java.io.InputStream open(BlobStore blobs) throws java.io.IOException;

    /** A local file's bytes. */
    record File(Path path) implements Stdin {
      public File {
        Objects.requireNonNull(path, "path");
      }

      @Override
      public java.io.InputStream open(BlobStore blobs) throws java.io.IOException {
        return java.nio.file.Files.newInputStream(path);
      }
    }

    /** A blob's bytes, read from the attempt's blob store. */
    record Blob(BlobKey key) implements Stdin {
      public Blob {
        Objects.requireNonNull(key, "key");
      }

      @Override
      public java.io.InputStream open(BlobStore blobs) throws java.io.IOException {
        return blobs
            .get(key)
            .orElseThrow(
                () -> new java.io.FileNotFoundException("stdin blob " + key + " does not exist"));
      }
    }

    /** Text, fed as UTF-8. */
    record Text(String text) implements Stdin {
      public Text {
        Objects.requireNonNull(text, "text");
      }

      @Override
      public java.io.InputStream open(BlobStore blobs) {
        return new java.io.ByteArrayInputStream(
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * A rendered script: every template already filled in, so an executor only runs it.
   *
   * @param command the argument vector (for a shell command: {@code /bin/sh -c <text>})
   * @param environment variables added to the executor's environment
   * @param workDir the working directory, or {@code null} for one the executor chooses
   * @param stdin what is fed to stdin, or {@code null} for nothing (stdin is closed at once)
   * @param stdout a file that captures stdout, or {@code null}: stdout lines go to the log
   * @param stderr a file that captures stderr, or {@code null}: stderr lines go to the log
   * @param inputs blobs staged into the working directory before the script starts
   * @param outputs files of the working directory staged out to blobs after it exits 0
   * @param timeout how long it may run before the whole process tree is killed, or {@code null}
   * @param needs what the attempt needs
   */
  record Script(
      List<String> command,
      Map<String, String> environment,
      Path workDir,
      Stdin stdin,
      Path stdout,
      Path stderr,
      List<Transfer> inputs,
      List<Transfer> outputs,
      Duration timeout,
      Needs needs)
      implements WorkSpec {
    public Script {
      command = List.copyOf(command);
      if (command.isEmpty()) {
        throw new IllegalArgumentException("a script's command must not be empty");
      }
      environment = environment == null ? Map.of() : Map.copyOf(environment);
      inputs = inputs == null ? List.of() : List.copyOf(inputs);
      outputs = outputs == null ? List.of() : List.copyOf(outputs);
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("script timeout must be positive, got " + timeout);
      }
      needs = needs == null ? Needs.NONE : needs;
    }

    /**
     * A command with its environment and nothing else: run in the attempt's working directory, no
     * stdin, output captured into the log, nothing staged.
     *
     * @param timeout the bound, or null for none
     */
    public static Script of(
        List<String> command, Map<String, String> environment, Duration timeout) {
      return new Script(command, environment, null, null, null, null, null, null, timeout, null);
    }
  }

  /** What the attempt needs. */
  Needs needs();
}
