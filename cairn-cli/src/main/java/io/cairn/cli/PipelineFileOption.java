package io.cairn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -f FILE} of the pipeline commands: the pipeline's YAML file, else ./cairn.yaml. */
final class PipelineFileOption {
  static final String DEFAULT_NAME = "cairn.yaml";

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The pipeline file (default: ./" + DEFAULT_NAME + ").")
  Path file;

  /** The file, absolute: -f, else ./cairn.yaml. */
  Path path() {
    return (file != null ? file : Path.of(DEFAULT_NAME)).toAbsolutePath().normalize();
  }

  /** Whether -f was given or ./cairn.yaml exists: commands that also work without one ask this. */
  boolean present() {
    return file != null || Files.isRegularFile(path());
  }

  /** The file as the user named it (errors in it are reported under this name). */
  Path given() {
    return file != null ? file : Path.of(DEFAULT_NAME);
  }

  /**
   * The file, which must exist.
   *
   * @throws NoPipelineFileException if it does not
   */
  Path require() {
    Path p = path();
    if (!Files.isRegularFile(p)) {
      throw new NoPipelineFileException(
          file == null
              ? "no pipeline file " + DEFAULT_NAME + " in " + p.getParent() + " (pass -f FILE)"
              : "no pipeline file " + p + (Files.isDirectory(p) ? " (it is a directory)" : ""));
    }
    return p;
  }
}
