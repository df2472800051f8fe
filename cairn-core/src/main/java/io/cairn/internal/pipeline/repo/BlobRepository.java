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

/** Blobs {@code <prefix>/<key>} in the project's blob store (local directory, later S3). */
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
    return blobs
        .get(blob(key))
        .orElseThrow(
            () -> new java.io.FileNotFoundException(describe() + " has no key '" + key + "'"));
  }

  @Override
  public void write(String key, InputStream data) throws IOException {
    blobs.put(blob(key), data);
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
