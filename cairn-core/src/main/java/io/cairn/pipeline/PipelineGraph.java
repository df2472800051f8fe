package io.cairn.pipeline;

import io.cairn.internal.pipeline.repo.Combinators;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which task runs after which: task B follows task A when B reads (input or required link) a
 * repository A writes (output link), or when B depends on A explicitly.
 */
public final class PipelineGraph {
  /**
   * One edge.
   *
   * @param from the upstream task
   * @param to the downstream task
   * @param via the shared repository's description, or "depends" for an explicit dependency
   */
  public record Edge(String from, String to, String via) {}

  private final List<String> tasks;
  private final List<Edge> edges;

  private PipelineGraph(List<String> tasks, List<Edge> edges) {
    this.tasks = List.copyOf(tasks);
    this.edges = List.copyOf(edges);
  }

  static PipelineGraph of(Pipeline p) {
    List<String> names = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    Map<Repository, List<String>> writers = new HashMap<>();
    for (PipelineTask t : p.tasks()) {
      names.add(t.name());
      for (Link l : t.links(LinkKind.OUTPUT)) {
        for (Repository r : Combinators.leaves(l.repository())) {
          writers.computeIfAbsent(r, k -> new ArrayList<>()).add(t.name());
        }
      }
    }
    for (PipelineTask t : p.tasks()) {
      Set<Edge> mine = new LinkedHashSet<>();
      for (Link l : t.links()) {
        if (l.kind() == LinkKind.INPUT || l.kind() == LinkKind.REQUIRED) {
          for (Repository r : Combinators.leaves(l.repository())) {
            for (String w : writers.getOrDefault(r, List.of())) {
              if (!w.equals(t.name())) {
                mine.add(new Edge(w, t.name(), l.name()));
              }
            }
            // A task's own collection, read as a repository, comes after that task.
            if (r instanceof Repositories.CollectionRepository c) {
              for (PipelineTask w : p.tasks()) {
                if (!w.name().equals(t.name())
                    && c.collection().equals(p.name() + "." + w.name())) {
                  mine.add(new Edge(w.name(), t.name(), l.name()));
                }
              }
            }
          }
        }
      }
      for (PipelineTask.Dependency d : t.dependencies()) {
        if (!d.task().equals(t.name())) { // a job depending on another job of its own task
          mine.add(new Edge(d.task(), t.name(), "depends"));
        }
      }
      edges.addAll(mine);
    }
    return new PipelineGraph(names, edges);
  }

  public List<String> tasks() {
    return tasks;
  }

  public List<Edge> edges() {
    return edges;
  }

  /** Tasks directly after {@code task}. */
  public Set<String> downstream(String task) {
    Set<String> out = new LinkedHashSet<>();
    for (Edge e : edges) {
      if (e.from().equals(task)) {
        out.add(e.to());
      }
    }
    return out;
  }

  /** Tasks directly before {@code task}. */
  public Set<String> upstream(String task) {
    Set<String> in = new LinkedHashSet<>();
    for (Edge e : edges) {
      if (e.to().equals(task)) {
        in.add(e.from());
      }
    }
    return in;
  }

  /** {@code task} and everything before it, transitively. */
  public Set<String> withUpstream(String task) {
    return closure(task, true);
  }

  /** {@code task} and everything after it, transitively. */
  public Set<String> withDownstream(String task) {
    return closure(task, false);
  }

  private Set<String> closure(String task, boolean up) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(task));
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (seen.add(t)) {
        todo.addAll(up ? upstream(t) : downstream(t));
      }
    }
    return seen;
  }

  void checkAcyclic() {
    Map<String, Integer> state = new HashMap<>();
    for (String t : tasks) {
      List<String> path = new ArrayList<>();
      if (cycle(t, state, path)) {
        throw new IllegalArgumentException(
            "the pipeline's tasks form a cycle: " + String.join(" -> ", path));
      }
    }
  }

  private boolean cycle(String t, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(t);
    if (s != null && s == 2) {
      return false;
    }
    path.add(t);
    if (s != null && s == 1) {
      return true;
    }
    state.put(t, 1);
    for (String d : downstream(t)) {
      if (cycle(d, state, path)) {
        return true;
      }
    }
    state.put(t, 2);
    path.remove(path.size() - 1);
    return false;
  }

  /** One line per edge, "a -> b (via link)", then tasks without edges. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    Set<String> connected = new LinkedHashSet<>();
    for (Edge e : edges) {
      sb.append(e.from()).append(" -> ").append(e.to()).append("  (").append(e.via()).append(")\n");
      connected.add(e.from());
      connected.add(e.to());
    }
    for (String t : tasks) {
      if (!connected.contains(t)) {
        sb.append(t).append('\n');
      }
    }
    return sb.toString();
  }

  /** Graphviz DOT. */
  public String toDot() {
    StringBuilder sb =
        new StringBuilder("digraph pipeline {\n  rankdir=LR;\n  node [shape=box];\n");
    Map<String, String> ids = new LinkedHashMap<>();
    for (String t : tasks) {
      ids.put(t, "\"" + t.replace("\"", "\\\"") + "\"");
      sb.append("  ").append(ids.get(t)).append(";\n");
    }
    for (Edge e : edges) {
      sb.append("  ")
          .append(ids.get(e.from()))
          .append(" -> ")
          .append(ids.get(e.to()))
          .append(" [label=\"")
          .append(e.via().replace("\"", "\\\""))
          .append("\"];\n");
    }
    return sb.append("}\n").toString();
  }
}
