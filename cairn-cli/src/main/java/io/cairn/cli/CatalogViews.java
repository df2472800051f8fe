package io.cairn.cli;

import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Placement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the catalog commands show objects: one JSON shape, one text line. */
final class CatalogViews {
  private CatalogViews() {}

  static Map<String, Object> json(CatalogObject o, List<Placement> placements) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.id());
    m.put("size", o.size());
    m.put("mediaType", o.mediaType());
    m.put("name", o.name());
    m.put("info", o.info());
    m.put("created", o.created());
    if (o.location() != null) {
      m.put("location", o.location());
    }
    m.put("parents", o.parents());
    if (placements != null) {
      List<Object> ps = new ArrayList<>();
      for (Placement p : placements) {
        ps.add(placement(p));
      }
      m.put("placements", ps);
    }
    return m;
  }

  static Map<String, Object> placement(Placement p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", p.dataset());
    m.put("job", p.job());
    m.put("partition", p.partition());
    return m;
  }

  static String line(CatalogObject o) {
    return String.format("%s  %10d  %-34s  %s", o.id(), o.size(), o.mediaType(), o.name());
  }
}
