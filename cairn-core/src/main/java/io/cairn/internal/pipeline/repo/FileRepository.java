package io.cairn.internal.pipeline.repo;

import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.StreamRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Files {@code <dir>/<key><extension>}, one per key. Writes go to a temp file beside the target (a
 * name no key can have), are forced to disk, and are renamed into place. During a job, writes are
 * staged under {@code <dir>/.staging/} and renamed into place when the job completes ({@link
 * Staging}).
 */
public final class FileRepository implements StreamRepository {
  private final Path dir;
  private final String extension;
  private final InvalidKeys invalid;

  public FileRepository(Path dir, String extension) {
    if (extension == null || extension.contains("/") || extension.contains("\0")) {
      throw new IllegalArgumentException("invalid file extension '" + extension + "'");
    }
    this.dir = dir.toAbsolutePath().normalize();
    this.extension = extension;
    this.invalid = new InvalidKeys(describe());
  }

  public Path dir() {
    return dir;
  }

  /** Where a key's file is (whether or not it exists). */
  public Path path(String key) {
    return dir.resolve(JobKeys.check(key) + extension);
  }

  @Override
  public String describe() {
    return "files(" + dir + ", *" + extension + ")";
  }

  @Override
  public Stream<String> keys() {
    return invalid.filter(LocalFiles.names(dir, extension, false).stream());
  }

  /**
   * Where the job running on this thread writes a key's file: its staging path during a job (see
   * {@link Staging}), registered to be published if the job writes it; the real path otherwise.
   */
  public Path outputPath(String key) throws IOException {
    return Staging.outputPath(describe(), dir, key, path(key));
  }

  /** The file to read: this attempt's staged write of the key if any, else the real one. */
  public Path readPath(String key) {
    return Staging.readPath(describe(), key, path(key));
  }

  @Override
  public boolean contains(String key) {
    return JobKeys.isValid(key) && Files.isRegularFile(readPath(key));
  }

  @Override
  public Optional<Object> info(String key) {
    return contains(key) ? Optional.of(path(key).toString()) : Optional.empty();
  }

  @Override
  public InputStream open(String key) throws IOException {
    Path p = readPath(key);
    if (!Files.isRegularFile(p)) {
      throw new java.io.FileNotFoundException(describe() + " has no key '" + key + "'");
    }
    return Files.newInputStream(p);
  }

  @Override
  public void write(String key, InputStream data) throws IOException {
    Staging s = Staging.current();
    if (s == null) {
      LocalFiles.writeAtomically(dir, path(key), data);
      return;
    }
    // Staged beside the key as a hidden file no reader lists, written in place and forced once;
    // publishing renames it over the key, in the same directory: the cost of an atomic write.
    Files.createDirectories(dir);
    Path staged = s.stageSibling(describe(), key, path(key));
    try (OutputStream out = Files.newOutputStream(staged)) {
      data.transferTo(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(staged); // never publish half a file, even if the job goes on
      throw e;
    }
    LocalFiles.force(staged);
  }

  @Override
  public boolean delete(String key) {
    try {
      return Files.deleteIfExists(path(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path(key), e);
    }
  }

  @Override
  public List<String> invalidKeys() {
    return invalid.list();
  }
}
