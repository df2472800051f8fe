package io.cairn.internal.durable;

import io.cairn.durable.DurableMap;
import io.cairn.internal.engine.Names;
import io.cairn.internal.json.Json;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapResult;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/** A typed view of a {@link MapCore}: values to and from JSON, keys validated. */
final class DurableMapHandle<V> extends AbstractMap<String, V> implements DurableMap<V> {
  private final MapCore core;
  private final Class<V> type; // null: plain JSON values (maps, lists, strings, numbers, ...)

  DurableMapHandle(MapCore core, Class<V> type) {
    this.core = core;
    this.type = type;
  }

  // ---------------------------------------------------------------- conversions

  private String toJson(V value) {
    try {
      return Json.write(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("map '" + core.name + "': " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private V fromJson(String json) {
    if (json == null) {
      return null;
    }
    return type == null ? (V) Json.read(json) : Json.readAs(json, type);
  }

  private static String key(Object key) {
    if (!(key instanceof String s)) {
      throw new IllegalArgumentException(
          "durable map keys are strings, got " + (key == null ? "null" : key.getClass().getName()));
    }
    try {
      return Names.checkKey(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("ident", "key"), e);
    }
  }

  // ---------------------------------------------------------------- Map

  @Override
  public String name() {
    return core.name;
  }

  @Override
  public V get(Object key) {
    return key instanceof String s && !s.isEmpty() ? fromJson(core.get(s)) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String s && !s.isEmpty() && core.get(s) != null;
  }

  @Override
  public V put(String key, V value) {
    String k = key(key);
    String json = toJson(value);
    if (core.options().durable()) {
      return fromJson(core.write(k, json).previous());
    }
    V previous = fromJson(core.get(k));
    core.write(k, json);
    return previous;
  }

  @Override
  public void set(String key, V value) {
    core.write(key(key), toJson(value));
  }

  @Override
  public V remove(Object key) {
    if (!(key instanceof String s) || s.isEmpty()) {
      return null;
    }
    if (core.options().durable()) {
      return fromJson(core.write(s, null).previous());
    }
    String previous = core.get(s);
    if (previous != null) {
      core.write(s, null);
    }
    return fromJson(previous);
  }

  @Override
  public void putAll(Map<? extends String, ? extends V> m) {
    m.forEach(this::set);
  }

  @Override
  public void clear() {
    core.clear();
  }

  @Override
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, core.size());
  }

  @Override
  public boolean isEmpty() {
    return core.size() == 0;
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, V>> iterator() {
        Iterator<MapEntry> it = core.iterator();
        return new Iterator<>() {
          private String last;

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Entry<String, V> next() {
            MapEntry e = it.next();
            last = e.key();
            return new SimpleImmutableEntry<>(e.key(), fromJson(e.json()));
          }

          @Override
          public void remove() {
            if (last == null) {
              throw new IllegalStateException("next() first");
            }
            DurableMapHandle.this.remove(last);
            last = null;
          }
        };
      }

      @Override
      public int size() {
        return DurableMapHandle.this.size();
      }
    };
  }

  // ---------------------------------------------------------------- atomic read-modify-write

  /**
   * A read-modify-write on the typed value, atomic across processes (see {@link MapCore#compute}).
   */
  private V atomic(String key, BiFunction<String, V, V> fn) {
    String k = key(key);
    MapResult r =
        core.compute(
            k,
            cur -> {
              V next = fn.apply(k, fromJson(cur.orElse(null)));
              return next == null ? Optional.empty() : Optional.of(toJson(next));
            });
    return fromJson(r.current());
  }

  @Override
  public V compute(String key, BiFunction<? super String, ? super V, ? extends V> fn) {
    Objects.requireNonNull(fn);
    return atomic(key, fn::apply);
  }

  @Override
  public V computeIfAbsent(String key, Function<? super String, ? extends V> fn) {
    Objects.requireNonNull(fn);
    return atomic(key, (k, v) -> v != null ? v : fn.apply(k));
  }

  @Override
  public V computeIfPresent(String key, BiFunction<? super String, ? super V, ? extends V> fn) {
    Objects.requireNonNull(fn);
    return atomic(key, (k, v) -> v == null ? null : fn.apply(k, v));
  }

  @Override
  public V merge(String key, V value, BiFunction<? super V, ? super V, ? extends V> fn) {
    Objects.requireNonNull(fn);
    Objects.requireNonNull(value);
    return atomic(key, (k, v) -> v == null ? value : fn.apply(v, value));
  }

  @Override
  public V putIfAbsent(String key, V value) {
    Object[] before = new Object[1];
    atomic(
        key,
        (k, v) -> {
          before[0] = v;
          return v != null ? v : value;
        });
    @SuppressWarnings("unchecked")
    V previous = (V) before[0];
    return previous;
  }

  @Override
  public V replace(String key, V value) {
    Object[] before = new Object[1];
    atomic(
        key,
        (k, v) -> {
          before[0] = v;
          return v == null ? null : value;
        });
    @SuppressWarnings("unchecked")
    V previous = (V) before[0];
    return previous;
  }

  @Override
  public boolean replace(String key, V oldValue, V newValue) {
    boolean[] replaced = new boolean[1];
    atomic(
        key,
        (k, v) -> {
          replaced[0] = v != null && Objects.equals(v, oldValue);
          return replaced[0] ? newValue : v;
        });
    return replaced[0];
  }

  @Override
  public boolean remove(Object key, Object value) {
    if (!(key instanceof String s) || s.isEmpty()) {
      return false;
    }
    boolean[] removed = new boolean[1];
    atomic(
        s,
        (k, v) -> {
          removed[0] = v != null && Objects.equals(v, value);
          return removed[0] ? null : v;
        });
    return removed[0];
  }

  // ---------------------------------------------------------------- sync control

  @Override
  public void sync() {
    core.sync();
  }

  @Override
  public void syncKey(String key) {
    core.syncKey(key(key));
  }

  @Override
  public void markDirty(String key) {
    core.markDirty(key(key));
  }

  @Override
  public Set<String> dirty() {
    return core.dirty();
  }

  @Override
  public void hold() {
    core.hold();
  }

  @Override
  public void unhold() {
    core.unhold();
  }

  @Override
  public void revert() {
    core.revert();
  }

  @Override
  public void close() {
    core.sync();
  }

  @Override
  public String toString() {
    return "DurableMap[" + core.name + "]";
  }
}
