package io.cairn.internal.pipeline.repo;

import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Directories {@code <dir>/<key>/}, one per key; info is the directory's path. */
public final class DirectoryRepository implements Repository {
  private final Path dir;
  private final InvalidKeys invalid;

  public DirectoryRepository(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.invalid = new InvalidKeys(describe());
  }

  public Path dir() {
    return dir;
  }

  public Path path(String key) {
    return dir.resolve(JobKeys.check(key));
  }

  /**
   * Creates (if needed) and returns a key's directory. During a job it is the job's staging
   * directory for the key, renamed into place (replacing the old one) when the job completes.
   */
  public Path create(String key) throws IOException {
    return Files.createDirectories(outputPath(key));
  }

  /**
   * Where the job running on this thread writes a key's directory: its staging path during a job
   * (see {@link Staging}), registered to be published if the job creates it; the real path
   * otherwise. Not created.
   */
  public Path outputPath(String key) throws IOException {
    return Staging.outputPath(describe(), dir, key, path(key));
  }

  @Override
  public String describe() {
    return "directories(" + dir + ")";
  }

  @Override
  public Stream<String> keys() {
    return invalid.filter(LocalFiles.names(dir, "", true).stream());
  }

  @Override
  public boolean contains(String key) {
    if (!JobKeys.isValid(key)) {
      return false;
    }
    Staging s = Staging.current();
    Path staged = s == null ? null : s.stagedPath(describe(), key);
    return (staged != null && Files.isDirectory(staged)) || Files.isDirectory(path(key));
  }

  @Override
  public Optional<Object> info(String key) {
    return contains(key) ? Optional.of(path(key).toString()) : Optional.empty();
  }

  @Override
  public boolean delete(String key) {
    Path p = path(key);
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p, e);
    }
  }

  @Override
  public List<String> invalidKeys() {
    return invalid.list();
  }
}
