package io.cairn.catalog;

import java.util.List;

/**
 * The objects around one object, to a depth: what it was made from (upstream) and what was made
 * from it (downstream).
 *
 * @param root the object asked about
 * @param edges every link found, parent to child
 * @param placements where each object found was registered (and so which jobs made it)
 */
public record Lineage(String root, List<Edge> edges, List<Placed> placements) {
  public Lineage {
    edges = List.copyOf(edges);
    placements = List.copyOf(placements);
  }

  /** A parent-to-child link; {@code depth} 1 is next to the root (negative upstream). */
  public record Edge(String parent, String child, int depth) {}

  /** An object of the lineage with one of its placements. */
  public record Placed(String id, Placement placement) {}
}
