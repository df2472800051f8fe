package io.cairn.internal.pipeline.repo;

import io.cairn.internal.json.Json;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.ValueRepository;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/** Values in memory, keys sorted; for tests and in-process pipelines. */
public final class InMemoryRepository implements ValueRepository {
  private static final Object NULL = new Object();
  private final String name;
  private final ConcurrentSkipListMap<String, Object> values = new ConcurrentSkipListMap<>();

  public InMemoryRepository(String name) {
    this.name = name;
  }

  /** Two in-memory repositories may share a name; staging tells them apart. */
  private String stagingId() {
    return describe() + "@" + System.identityHashCode(this);
  }

  @Override
  public String describe() {
    return "memory(" + name + ")";
  }

  @Override
  public Stream<String> keys() {
    return values.keySet().stream();
  }

  @Override
  public boolean contains(String key) {
    Staging s = Staging.current();
    return key != null && ((s != null && s.hasValue(stagingId(), key)) || values.containsKey(key));
  }

  @Override
  public Optional<Object> get(String key) {
    Staging s = Staging.current();
    Object v =
        key == null
            ? null
            : s != null && s.hasValue(stagingId(), key)
                ? s.value(stagingId(), key)
                : values.get(key);
    return v == null || v == NULL ? Optional.empty() : Optional.of(Json.read(Json.write(v)));
  }

  @Override
  public void put(String key, Object value) {
    JobKeys.check(key);
    Json.write(value); // refuse what is not JSON now
    Object v = value == null ? NULL : value;
    Staging s = Staging.current();
    if (s != null) {
      s.stageValue(stagingId(), key, v, () -> values.put(key, v));
      return;
    }
    values.put(key, v);
  }

  /** Adds many keys with the same value (benchmarks, tests). */
  public void putAll(List<String> keys, Object value) {
    for (String k : keys) {
      put(k, value);
    }
  }

  @Override
  public boolean delete(String key) {
    return key != null && values.remove(key) != null;
  }

  @Override
  public List<String> invalidKeys() {
    return List.of();
  }
}
