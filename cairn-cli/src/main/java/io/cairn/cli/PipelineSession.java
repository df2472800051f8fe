package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.CairnClient;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.PipelineYaml;
import io.cairn.spi.BlobStores;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.StateStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A pipeline file loaded on a home: the Cairn (or, for reading, the read-only client), the pipeline
 * and its runner, closed together.
 *
 * <p>Commands that only read (status, graph, trace, ls, cat) read an existing home through a {@link
 * CairnClient}, which changes nothing there, and never create it: when it does not exist yet they
 * get a <em>preview</em>, the pipeline on an empty in-memory store in a scratch directory (removed
 * on close), so {@code cairn status} shows what a first run would start.
 */
final class PipelineSession implements AutoCloseable {
  private final Cairn cairn; // null when reading through the client
  private final CairnClient client; // null when writing or previewing
  private final Pipeline pipeline;
  private final PipelineRunner runner;
  private final Path file;
  private final Path scratch;
  private Map<String, ResourceExecutor> executors = Map.of(); // declared by the file; ours to close

  private PipelineSession(
      Cairn cairn,
      CairnClient client,
      Pipeline pipeline,
      PipelineRunner runner,
      Path file,
      Path scratch) {
    this.cairn = cairn;
    this.client = client;
    this.pipeline = pipeline;
    this.runner = runner;
    this.file = file;
    this.scratch = scratch;
  }

  /** Loads the file on the home, creating the home if needed (commands that compute or write). */
  static PipelineSession open(Main main, PipelineFileOption option) {
    option.require();
    return open(main, option.given());
  }

  /** Loads an existing file on the home, creating the home if needed. */
  static PipelineSession open(Main main, Path file) {
    Map<String, ResourceExecutor> declared = PipelineYaml.executors(file);
    Cairn cairn;
    try {
      cairn = main.openOrCreate(declared, null);
    } catch (RuntimeException | Error e) {
      declared.values().forEach(ResourceExecutor::close);
      throw e;
    }
    PipelineSession s;
    try {
      s = load(cairn, file, null);
    } catch (RuntimeException | Error e) {
      declared.values().forEach(ResourceExecutor::close);
      throw e;
    }
    s.executors = declared;
    return s;
  }

  /**
   * The pipeline {@code name} (or the only one) of the project's Java code on the home, creating
   * the home if needed.
   */
  static PipelineSession openCode(Main main, ProjectCode code, String name) {
    Cairn cairn = main.openOrCreate();
    try {
      java.util.Map<String, Pipeline> all = code.pipelines(cairn);
      Pipeline p;
      if (name != null) {
        p = all.get(name);
        if (p == null) {
          throw new CommandFailedException(
              "no pipeline '" + name + "' in --classpath; it defines " + all.keySet());
        }
      } else if (all.size() == 1) {
        p = all.values().iterator().next();
      } else {
        throw new CommandFailedException(
            all.isEmpty()
                ? "the project's code defines no pipelines"
                : "--classpath defines several pipelines "
                    + all.keySet()
                    + ": pick one with --pipeline");
      }
      return new PipelineSession(cairn, null, p, cairn.pipeline(p), null, null);
    } catch (RuntimeException | Error e) {
      closeQuietly(cairn, null, e);
      throw e;
    }
  }

  /** Loads the file on the home if it exists, else on an empty preview store. */
  static PipelineSession openForReading(Main main, PipelineFileOption option) {
    option.require();
    Path file = option.given();
    if (main.storeUrl() != null || Files.isRegularFile(main.home().resolve("cairn.db"))) {
      CairnClient client = main.openClient();
      try {
        Pipeline p = client.loadPipeline(file);
        return new PipelineSession(
            null, client, p, client.pipeline(p), file.toAbsolutePath().normalize(), null);
      } catch (RuntimeException | Error e) {
        try {
          client.close();
        } catch (RuntimeException c) {
          e.addSuppressed(c);
        }
        throw e;
      }
    }
    Path scratch;
    try {
      scratch = Files.createTempDirectory("cairn-preview-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory: " + e.getMessage(), e);
    }
    // Declared executors are registered so tasks naming them check; they connect only to run.
    Map<String, ResourceExecutor> declared = PipelineYaml.executors(file);
    PipelineSession s;
    try {
      Cairn.Builder b =
          Cairn.builder()
              .home(scratch)
              .stateStore(StateStores.inMemory())
              .blobStore(BlobStores.inMemory());
      declared.forEach(b::executor);
      s = load(b.open(), file, scratch);
    } catch (RuntimeException | Error e) {
      declared.values().forEach(ResourceExecutor::close);
      throw e;
    }
    s.executors = declared;
    return s;
  }

  private static PipelineSession load(Cairn cairn, Path file, Path scratch) {
    try {
      Pipeline p = PipelineYaml.load(file, cairn);
      return new PipelineSession(
          cairn, null, p, cairn.pipeline(p), file.toAbsolutePath().normalize(), scratch);
    } catch (RuntimeException | Error e) {
      closeQuietly(cairn, scratch, e);
      throw e;
    }
  }

  /** The Cairn of a session that writes (or previews). */
  Cairn cairn() {
    if (cairn == null) {
      throw new IllegalStateException("this pipeline session only reads: open it with open(...)");
    }
    return cairn;
  }

  /** The home, absolute. */
  Path home() {
    return client != null ? client.home() : cairn.home();
  }

  /** The read-only client of a home opened for reading; null when writing or previewing. */
  CairnClient client() {
    return client;
  }

  /** The collections of the home. */
  List<String> collections() {
    return client != null ? client.collections() : cairn.collections();
  }

  Pipeline pipeline() {
    return pipeline;
  }

  PipelineRunner runner() {
    return runner;
  }

  /** The pipeline file, absolute. */
  Path file() {
    return file;
  }

  /** Whether this is a preview: the home does not exist yet, and nothing has run. */
  boolean preview() {
    return scratch != null;
  }

  @Override
  public void close() {
    try {
      if (client != null) {
        client.close();
      } else {
        cairn.close();
      }
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
      executors.values().forEach(ResourceExecutor::close);
    }
  }

  private static void closeQuietly(Cairn cairn, Path scratch, Throwable cause) {
    try {
      cairn.close();
      if (scratch != null) {
        deleteTree(scratch);
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a scratch directory left in the temp dir is not worth failing a read command for
    }
  }
}
