package io.cairn.internal.store;

import io.cairn.Page;
import io.cairn.catalog.CatalogException;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.Placement;
import io.cairn.spi.CatalogStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The catalog in memory, for tests and throw-away homes: one lock makes every call atomic. */
final class InMemoryCatalogStore implements CatalogStore {
  private final TreeMap<String, CatalogObject> objects = new TreeMap<>();
  private final Map<String, Set<String>> children = new HashMap<>();
  private final Map<String, TreeSet<Placement>> placements = new HashMap<>();
  private final TreeMap<String, Dataset> datasets = new TreeMap<>();
  private final Map<String, LinkedHashSet<String>> partitions = new HashMap<>();
  private final Map<String, TreeSet<Long>> jobs = new HashMap<>();
  private final Map<String, Long> nextJob = new HashMap<>();
  private final Map<String, Map<String, Long>> announced = new HashMap<>();
  private final Map<String, Long> doomed = new HashMap<>();

  private static final java.util.Comparator<Placement> ORDER =
      java.util.Comparator.comparing(Placement::dataset)
          .thenComparingLong(Placement::job)
          .thenComparing(Placement::partition);

  @Override
  public synchronized boolean announcePut(String id, String token, long now) {
    Long since = doomed.get(id);
    if (since != null && since >= now - STALE_DOOM_MS) {
      return false;
    }
    doomed.remove(id);
    announced.computeIfAbsent(id, k -> new HashMap<>()).put(token, now);
    return true;
  }

  @Override
  public synchronized void endPut(String id, String token) {
    Map<String, Long> tokens = announced.get(id);
    if (tokens != null) {
      tokens.remove(token);
      if (tokens.isEmpty()) {
        announced.remove(id);
      }
    }
  }

  @Override
  public synchronized CatalogObject register(
      CatalogObject object, Placement placement, String token) {
    for (String parent : object.parents()) {
      if (!objects.containsKey(parent) && !parent.equals(object.id())) {
        throw new CatalogException("parent object " + parent + " is not in the catalog");
      }
    }
    if (placement != null) {
      checkPlacement(placement);
    }
    CatalogObject stored = objects.get(object.id());
    if (stored == null) {
      stored = object;
    } else {
      Set<String> merged = new LinkedHashSet<>(stored.parents());
      merged.addAll(object.parents());
      stored =
          new CatalogObject(
              stored.id(),
              stored.size(),
              stored.mediaType(),
              stored.name(),
              stored.info(),
              stored.created(),
              stored.location(),
              new ArrayList<>(merged));
    }
    objects.put(stored.id(), stored);
    for (String parent : object.parents()) {
      children.computeIfAbsent(parent, k -> new TreeSet<>()).add(object.id());
    }
    if (placement != null) {
      placements.computeIfAbsent(object.id(), k -> new TreeSet<>(ORDER)).add(placement);
    }
    if (token != null) {
      endPut(object.id(), token);
    }
    return stored;
  }

  private void checkPlacement(Placement p) {
    if (!datasets.containsKey(p.dataset())) {
      throw new CatalogException("dataset " + p.dataset() + " does not exist");
    }
    if (!jobs.getOrDefault(p.dataset(), new TreeSet<>()).contains(p.job())) {
      throw new CatalogException(
          "job " + p.job() + " of dataset " + p.dataset() + " does not exist");
    }
    if (!partitions.getOrDefault(p.dataset(), new LinkedHashSet<>()).contains(p.partition())) {
      throw new CatalogException(
          "partition " + p.partition() + " of dataset " + p.dataset() + " does not exist");
    }
  }

  @Override
  public synchronized boolean place(String id, Placement placement) {
    if (!objects.containsKey(id)) {
      throw new CatalogException("object " + id + " is not in the catalog");
    }
    checkPlacement(placement);
    return placements.computeIfAbsent(id, k -> new TreeSet<>(ORDER)).add(placement);
  }

  @Override
  public synchronized Optional<CatalogObject> object(String id) {
    return Optional.ofNullable(objects.get(id));
  }

  @Override
  public synchronized List<String> existing(List<String> ids) {
    return ids.stream().filter(objects::containsKey).distinct().toList();
  }

  @Override
  public synchronized List<String> children(String id) {
    return List.copyOf(children.getOrDefault(id, Set.of()));
  }

  @Override
  public synchronized List<Placement> placements(String id) {
    return List.copyOf(placements.getOrDefault(id, new TreeSet<>(ORDER)));
  }

  @Override
  public synchronized Page<CatalogObject> objects(ObjectFilter f, String cursor, int limit) {
    checkLimit(limit);
    List<CatalogObject> out = new ArrayList<>();
    var tail = cursor == null ? objects : objects.tailMap(cursor, false);
    for (CatalogObject o : tail.values()) {
      if (matches(o, f)) {
        if (out.size() == limit) {
          return new Page<>(out, out.get(limit - 1).id());
        }
        out.add(o);
      }
    }
    return new Page<>(out, null);
  }

  private boolean matches(CatalogObject o, ObjectFilter f) {
    if (f.mediaType() != null && !f.mediaType().equals(o.mediaType())) {
      return false;
    }
    if (f.namePrefix() != null && !o.name().startsWith(f.namePrefix())) {
      return false;
    }
    if (f.dataset() == null) {
      return true;
    }
    for (Placement p : placements.getOrDefault(o.id(), new TreeSet<>(ORDER))) {
      if (p.dataset().equals(f.dataset())
          && (f.job() == null || f.job() == p.job())
          && (f.partition() == null || f.partition().equals(p.partition()))) {
        return true;
      }
    }
    return false;
  }

  static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "page size must be 1 to " + MAX_PAGE_SIZE + ", was " + limit);
    }
  }

  @Override
  public synchronized Dataset createDataset(String id, String menuId, String configId, long now) {
    if (!objects.containsKey(menuId)) {
      throw new CatalogException("menu " + menuId + " is not a catalog object: put it first");
    }
    if (!objects.containsKey(configId)) {
      throw new CatalogException(
          "configuration " + configId + " is not a catalog object: put it first");
    }
    Dataset d = new Dataset(id, menuId, configId, now);
    if (datasets.putIfAbsent(id, d) != null) {
      throw new CatalogException("dataset " + id + " exists already");
    }
    return d;
  }

  @Override
  public synchronized boolean importDataset(Dataset d) {
    Dataset old = datasets.get(d.id());
    if (old != null) {
      if (!old.menuId().equals(d.menuId()) || !old.configId().equals(d.configId())) {
        throw new CatalogException(CatalogConflicts.dataset(old, d));
      }
      return false;
    }
    datasets.put(d.id(), d);
    return true;
  }

  @Override
  public synchronized Optional<Dataset> dataset(String id) {
    return Optional.ofNullable(datasets.get(id));
  }

  @Override
  public synchronized Page<Dataset> datasets(String cursor, int limit) {
    checkLimit(limit);
    List<Dataset> out = new ArrayList<>();
    var tail = cursor == null ? datasets : datasets.tailMap(cursor, false);
    for (Dataset d : tail.values()) {
      if (out.size() == limit) {
        return new Page<>(out, out.get(limit - 1).id());
      }
      out.add(d);
    }
    return new Page<>(out, null);
  }

  private void requireDataset(String dataset) {
    if (!datasets.containsKey(dataset)) {
      throw new CatalogException("dataset " + dataset + " does not exist");
    }
  }

  @Override
  public synchronized boolean addPartition(String dataset, String key) {
    requireDataset(dataset);
    return partitions.computeIfAbsent(dataset, k -> new LinkedHashSet<>()).add(key);
  }

  @Override
  public synchronized List<String> partitions(String dataset) {
    requireDataset(dataset);
    return List.copyOf(partitions.getOrDefault(dataset, new LinkedHashSet<>()));
  }

  @Override
  public synchronized long newJob(String dataset, long now) {
    requireDataset(dataset);
    long job = nextJob.getOrDefault(dataset, 0L);
    nextJob.put(dataset, job + 1);
    jobs.computeIfAbsent(dataset, k -> new TreeSet<>()).add(job);
    return job;
  }

  @Override
  public synchronized void importJob(String dataset, long job, long now) {
    requireDataset(dataset);
    jobs.computeIfAbsent(dataset, k -> new TreeSet<>()).add(job);
    nextJob.put(dataset, Math.max(nextJob.getOrDefault(dataset, 0L), job + 1));
  }

  @Override
  public synchronized List<Long> jobs(String dataset) {
    requireDataset(dataset);
    return List.copyOf(jobs.getOrDefault(dataset, new TreeSet<>()));
  }

  @Override
  public synchronized boolean doom(String id, long announcedAfter, long now) {
    if (objects.containsKey(id)) {
      return false;
    }
    Map<String, Long> tokens = announced.get(id);
    if (tokens != null) {
      tokens.values().removeIf(t -> t < announcedAfter);
      if (!tokens.isEmpty()) {
        return false;
      }
      announced.remove(id);
    }
    doomed.put(id, now);
    return true;
  }

  @Override
  public synchronized void undoom(String id) {
    doomed.remove(id);
  }
}
