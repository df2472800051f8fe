package io.cairn.internal.catalog;

import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Lineage;
import io.cairn.catalog.Placement;
import io.cairn.spi.CatalogStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Breadth-first both ways from one object, each way at most {@code depth} links. */
final class LineageWalk {
  private LineageWalk() {}

  static Lineage walk(CatalogStore store, String root, int depth) {
    List<Lineage.Edge> edges = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>(List.of(root));
    List<String> frontier = List.of(root);
    for (int d = 1; d <= depth && !frontier.isEmpty(); d++) {
      List<String> next = new ArrayList<>();
      for (String id : frontier) {
        for (String parent : store.object(id).map(CatalogObject::parents).orElse(List.of())) {
          edges.add(new Lineage.Edge(parent, id, -d));
          if (seen.add(parent)) {
            next.add(parent);
          }
        }
      }
      frontier = next;
    }
    Set<String> down = new LinkedHashSet<>(List.of(root));
    frontier = List.of(root);
    for (int d = 1; d <= depth && !frontier.isEmpty(); d++) {
      List<String> next = new ArrayList<>();
      for (String id : frontier) {
        for (String child : store.children(id)) {
          edges.add(new Lineage.Edge(id, child, d));
          seen.add(child);
          if (down.add(child)) {
            next.add(child);
          }
        }
      }
      frontier = next;
    }
    List<Lineage.Placed> placed = new ArrayList<>();
    for (String id : seen) {
      for (Placement p : store.placements(id)) {
        placed.add(new Lineage.Placed(id, p));
      }
    }
    return new Lineage(root, edges, placed);
  }
}
