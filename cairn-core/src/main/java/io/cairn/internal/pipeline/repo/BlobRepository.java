package io.cairn.internal.pipeline.repo;

import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.StreamRepository;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Blobs {@code <prefix>/<key>} in the project's blob store (local directory, later S3). During a
 * job, writes are staged in a local file and put under the real key when the job completes ({@link
 * Staging}).
 */
public final class BlobRepository implements StreamRepository {
  private final BlobStore blobs;
  private final BlobKey prefix;
  private final InvalidKeys invalid;

  public BlobRepository(BlobStore blobs, String prefix) {
    this.blobs = blobs;
    this.prefix = new BlobKey(prefix);
    this.invalid = new InvalidKeys(describe());
  }

  private BlobKey blob(String key) {
    return prefix.resolve(JobKeys.check(key));
  }

  @Override
  public String describe() {
    return "blobs(" + prefix + "/)";
  }

  @Override
  public Stream<String> keys() {
    String p = prefix + "/";
    return invalid.filter(
        blobs
            .listAll(p)
            .map(info -> info.key().value().substring(p.length()))
            .filter(rest -> rest.indexOf('/') < 0));
  }

  @Override
  public boolean contains(String key) {
    try {
      if (JobKeys.isValid(key) && stagedFile(key) != null) {
        return true;
      }
      return JobKeys.isValid(key) && blobs.exists(blob(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<Object> info(String key) {
    try {
      Optional<BlobInfo> info = JobKeys.isValid(key) ? blobs.info(blob(key)) : Optional.empty();
      return info.map(i -> java.util.Map.of("blob", i.key().value(), "size", i.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    java.nio.file.Path staged = stagedFile(key);
    if (staged != null) {
      return java.nio.file.Files.newInputStream(staged);
    }
    return blobs
        .get(blob(key))
        .orElseThrow(
            () -> new java.io.FileNotFoundException(describe() + " has no key '" + key + "'"));
  }

  @Override
  public void write(String key, InputStream data) throws IOException {
    BlobKey target = blob(key);
    Staging s = Staging.current();
    if (s == null) {
      blobs.put(target, data);
      return;
    }
    // Staged in a local file of the attempt; put under the real key only at publish.
    java.nio.file.Path file = s.scratchFile();
    java.nio.file.Files.copy(data, file);
    s.stageFile(describe(), key, file, in -> blobs.put(target, in));
  }

  /** The store the blobs live in. */
  public BlobStore store() {
    return blobs;
  }

  /**
   * Where a script's stdin reads the key from, without opening it: this attempt's staged file if
   * the job on this thread wrote the key, else the blob (which may be absent: the executor says).
   */
  public io.cairn.spi.WorkSpec.Stdin source(String key) {
    java.nio.file.Path staged = stagedFile(key);
    return staged != null
        ? new io.cairn.spi.WorkSpec.Stdin.File(staged)
        : new io.cairn.spi.WorkSpec.Stdin.Blob(blob(key));
  }

  /** This attempt's staged data for a key, if the job on this thread wrote it. */
  private java.nio.file.Path stagedFile(String key) {
    Staging s = Staging.current();
    java.nio.file.Path p = s == null ? null : s.stagedPath(describe(), key);
    return p != null && java.nio.file.Files.isRegularFile(p) ? p : null;
  }

  @Override
  public boolean delete(String key) {
    try {
      return blobs.delete(blob(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<String> invalidKeys() {
    return invalid.list();
  }
}
