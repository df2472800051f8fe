package io.cairn.internal.pipeline.repo;

import io.cairn.Page;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.Placement;
import io.cairn.catalog.PutOptions;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.StreamRepository;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A dataset of the catalog as a pipeline repository: a job key is a partition of the dataset, and
 * writing it puts the bytes content-addressed and registers them under that partition by a new job
 * of the dataset. The key's value is the object of its newest job. During a pipeline job the bytes
 * are staged in a local file and put only when the job completes ({@link Staging}), so a failed
 * attempt registers nothing.
 */
public final class CatalogRepository implements StreamRepository {
  private final Catalog catalog;
  private final String dataset;

  public CatalogRepository(Catalog catalog, String dataset) {
    this.catalog = catalog;
    this.dataset = dataset;
    if (catalog.dataset(dataset).isEmpty()) {
      throw new IllegalArgumentException(
          "dataset " + dataset + " does not exist: create it with catalog.createDataset first");
    }
  }

  @Override
  public String describe() {
    return "catalog(" + dataset + ")";
  }

  @Override
  public Stream<String> keys() {
    return catalog.partitions(dataset).stream()
        .filter(JobKeys::isValid)
        .filter(k -> newest(k).isPresent());
  }

  @Override
  public boolean contains(String key) {
    if (!JobKeys.isValid(key)) {
      return false;
    }
    return stagedFile(key) != null || newest(key).isPresent();
  }

  /** The object of the key's newest job, with that job. */
  private Optional<Map.Entry<CatalogObject, Long>> newest(String key) {
    CatalogObject best = null;
    long bestJob = -1;
    String cursor = null;
    do {
      Page<CatalogObject> page =
          catalog.list(ObjectFilter.all().withDataset(dataset).withPartition(key), cursor, 1000);
      for (CatalogObject o : page.items()) {
        for (Placement p : catalog.placements(o.id())) {
          if (p.dataset().equals(dataset) && p.partition().equals(key) && p.job() > bestJob) {
            best = o;
            bestJob = p.job();
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return best == null ? Optional.empty() : Optional.of(Map.entry(best, bestJob));
  }

  @Override
  public Optional<Object> info(String key) {
    if (!JobKeys.isValid(key)) {
      return Optional.empty();
    }
    return newest(key)
        .map(
            e -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("id", e.getKey().id());
              m.put("job", e.getValue());
              m.put("size", e.getKey().size());
              m.put("mediaType", e.getKey().mediaType());
              return m;
            });
  }

  @Override
  public InputStream open(String key) throws IOException {
    Path staged = stagedFile(key);
    if (staged != null) {
      return Files.newInputStream(staged);
    }
    JobKeys.check(key);
    var found = newest(key);
    if (found.isEmpty()) {
      throw new FileNotFoundException(describe() + " has no key '" + key + "'");
    }
    return catalog.open(found.get().getKey().id());
  }

  @Override
  public void write(String key, InputStream data) throws IOException {
    JobKeys.check(key);
    Staging s = Staging.current();
    if (s == null) {
      publish(key, data);
      return;
    }
    Path file = s.scratchFile();
    Files.copy(data, file);
    s.stageFile(describe(), key, file, in -> publish(key, in));
  }

  private void publish(String key, InputStream data) throws IOException {
    catalog.addPartition(dataset, key);
    long job = catalog.newJob(dataset);
    catalog.put(data, PutOptions.defaults().name(key).in(dataset, job, key));
  }

  private Path stagedFile(String key) {
    Staging s = Staging.current();
    Path p = s == null ? null : s.stagedPath(describe(), key);
    return p != null && Files.isRegularFile(p) ? p : null;
  }

  /** The catalog's keys are immutable history; deleting is refused. */
  @Override
  public boolean delete(String key) {
    throw new UnsupportedOperationException(
        describe() + " keeps every job's object: catalog objects are not deleted by key");
  }
}
