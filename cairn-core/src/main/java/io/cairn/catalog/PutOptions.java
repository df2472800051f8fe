package io.cairn.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link Catalog#put} registers content. Immutable: every method returns a copy.
 *
 * @param name display name; null takes the file name for a path put, else empty
 * @param mediaType null to sniff it from the content and name
 * @param info user metadata
 * @param placement where to register it, or null for nowhere in particular
 * @param parents ids of the objects it was made from (each must exist)
 * @param reference for a path put: keep the file where it is instead of copying it into the store
 */
public record PutOptions(
    String name,
    String mediaType,
    Map<String, String> info,
    Placement placement,
    List<String> parents,
    boolean reference) {
  public PutOptions {
    if (info != null) {
      info.forEach(
          (k, v) -> {
            if (k == null || k.isEmpty() || v == null) {
              throw new IllegalArgumentException(
                  "info needs non-empty keys and non-null values, got " + k + "=" + v);
            }
          });
    }
    info = Map.copyOf(info == null ? Map.of() : info);
    parents = List.copyOf(parents == null ? List.of() : parents);
  }

  /** No name, sniffed media type, no info, no placement, no parents, copied in. */
  public static PutOptions defaults() {
    return new PutOptions(null, null, Map.of(), null, List.of(), false);
  }

  public PutOptions name(String n) {
    return new PutOptions(n, mediaType, info, placement, parents, reference);
  }

  public PutOptions mediaType(String m) {
    return new PutOptions(name, m, info, placement, parents, reference);
  }

  /** Adds one info entry. */
  public PutOptions info(String key, String value) {
    if (key == null || key.isEmpty() || value == null) {
      throw new IllegalArgumentException(
          "info needs a non-empty key and a non-null value, got " + key + "=" + value);
    }
    Map<String, String> m = new LinkedHashMap<>(info);
    m.put(key, value);
    return new PutOptions(name, mediaType, m, placement, parents, reference);
  }

  public PutOptions in(String dataset, long job, String partition) {
    return new PutOptions(
        name, mediaType, info, new Placement(dataset, job, partition), parents, reference);
  }

  public PutOptions parents(String... ids) {
    for (String id : ids) {
      if (id == null) {
        throw new IllegalArgumentException("a parent id is null: pass the ids put returned");
      }
    }
    return new PutOptions(name, mediaType, info, placement, List.of(ids), reference);
  }

  /** Keeps a path put's file in place (see {@link #reference()}). */
  public PutOptions referenceInPlace() {
    return new PutOptions(name, mediaType, info, placement, parents, true);
  }
}
