package io.cairn.pipeline;

import io.cairn.internal.engine.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named set of tasks. Its graph follows from the repositories the tasks share (a task reading
 * what another writes runs after it) and from explicit dependencies. Immutable; validated when
 * built.
 */
public final class Pipeline {
  private final String name;
  private final Map<String, PipelineTask> tasks;
  private final PipelineGraph graph;

  private Pipeline(String name, Map<String, PipelineTask> tasks) {
    this.name = name;
    this.tasks = java.util.Collections.unmodifiableMap(tasks);
    this.graph = PipelineGraph.of(this);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** Tasks in declaration order. */
  public List<PipelineTask> tasks() {
    return List.copyOf(tasks.values());
  }

  public Optional<PipelineTask> task(String taskName) {
    return Optional.ofNullable(tasks.get(taskName));
  }

  /**
   * The task of that name.
   *
   * @throws IllegalArgumentException naming the known tasks
   */
  public PipelineTask requireTask(String taskName) {
    PipelineTask t = tasks.get(taskName);
    if (t == null) {
      throw new IllegalArgumentException(
          "pipeline '"
              + name
              + "' has no task '"
              + taskName
              + "'; tasks: "
              + String.join(", ", tasks.keySet()));
    }
    return t;
  }

  /** The collection holding a task's jobs: {@code <pipeline>.<task>}. */
  public String collectionOf(String taskName) {
    return name + "." + requireTask(taskName).name();
  }

  public PipelineGraph graph() {
    return graph;
  }

  /** Collects and validates tasks. */
  public static final class Builder {
    private final String name;
    private final List<PipelineTask> tasks = new ArrayList<>();

    private Builder(String name) {
      try {
        Names.checkCollection(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            e.getMessage().replace("collection name", "pipeline name"), e);
      }
      this.name = name;
    }

    public Builder task(PipelineTask task) {
      tasks.add(java.util.Objects.requireNonNull(task, "task"));
      return this;
    }

    public Builder task(PipelineTask.Builder task) {
      return task(task.build());
    }

    /**
     * @throws IllegalArgumentException on duplicate task names, dependencies on unknown tasks,
     *     cycles, or a collection name ({@code pipeline.task}) longer than 128 characters
     */
    public Pipeline build() {
      if (tasks.isEmpty()) {
        throw new IllegalArgumentException("pipeline '" + name + "' has no tasks");
      }
      Map<String, PipelineTask> byName = new LinkedHashMap<>();
      for (PipelineTask t : tasks) {
        if (byName.put(t.name(), t) != null) {
          throw new IllegalArgumentException(
              "pipeline '" + name + "' has two tasks named '" + t.name() + "'");
        }
        Names.checkCollection(name + "." + t.name());
      }
      for (PipelineTask t : tasks) {
        for (PipelineTask.Dependency d : t.dependencies()) {
          if (!byName.containsKey(d.task())) {
            throw new IllegalArgumentException(
                "task '"
                    + t.name()
                    + "' depends on unknown task '"
                    + d.task()
                    + "'; tasks: "
                    + String.join(", ", byName.keySet()));
          }
          if (d.task().equals(t.name()) && (d.upstream() == null || !t.parameterized())) {
            throw new IllegalArgumentException(
                "task '"
                    + t.name()
                    + "' depends on itself; only a parameterized task may, with a"
                    + " mapping to another job's parameters (dependsOn)");
          }
          if (d.upstream() == null && t.parameterized() != byName.get(d.task()).parameterized()) {
            throw new IllegalArgumentException(
                "task '"
                    + t.name()
                    + "' runs after '"
                    + d.task()
                    + "' by job key, but only one of"
                    + " them is parameterized; use dependsOn with a parameter mapping");
          }
        }
      }
      Pipeline p = new Pipeline(name, byName);
      p.graph.checkAcyclic();
      return p;
    }
  }
}
