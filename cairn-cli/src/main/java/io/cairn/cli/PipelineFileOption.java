package io.cairn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -f FILE} of the pipeline commands: the pipeline's YAML file, else the nearest cairn.yaml
 * in the working directory or above it (as git finds its repository, so a command run from a
 * project's subdirectory finds the project's file and, through {@link Main#home()}, its home).
 */
final class PipelineFileOption {
  static final String DEFAULT_NAME = "cairn.yaml";

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description =
          "The pipeline file (default: the nearest "
              + DEFAULT_NAME
              + " here or above); the home defaults to .cairn beside it.")
  Path file;

  /** The file, absolute: -f, else the nearest cairn.yaml here or above, else ./cairn.yaml. */
  Path path() {
    if (file != null) {
      return file.toAbsolutePath().normalize();
    }
    Path here = Path.of("").toAbsolutePath();
    Path found = findUpward(here);
    return found != null ? found : here.resolve(DEFAULT_NAME).normalize();
  }

  /** The nearest cairn.yaml in {@code dir} or a directory above it, or null. */
  static Path findUpward(Path dir) {
    for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      Path candidate = d.resolve(DEFAULT_NAME);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Whether -f was given or ./cairn.yaml exists: commands that also work without one ask this. */
  boolean present() {
    return file != null || Files.isRegularFile(path());
  }

  /** The file as the user named it (errors in it are reported under this name). */
  Path given() {
    if (file != null) {
      return file;
    }
    Path here = Path.of("").toAbsolutePath();
    Path found = findUpward(here);
    return found == null || found.getParent().equals(here) ? Path.of(DEFAULT_NAME) : found;
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
              ? "no pipeline file "
                  + DEFAULT_NAME
                  + " in "
                  + p.getParent()
                  + " or above (pass -f FILE)"
              : "no pipeline file " + p + (Files.isDirectory(p) ? " (it is a directory)" : ""));
    }
    return p;
  }
}
