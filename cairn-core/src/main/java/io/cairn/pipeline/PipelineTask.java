package io.cairn.pipeline;

import io.cairn.internal.engine.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One step of a pipeline: its links to repositories, its explicit dependencies, its parameters, and
 * its body (a Java {@link JobFunction} or a {@link ScriptSpec}). Its jobs are resources of the
 * collection {@code <pipeline>.<task>}, so their status, tries, logs and errors are the engine's.
 * Immutable; build with {@link #java} or {@link #script}.
 */
public final class PipelineTask {
  /**
   * A declared parameter.
   *
   * @param type its type
   * @param defaultValue its default, or null when it must be given
   */
  public record Param(ParamType type, Object defaultValue) {}

  /**
   * An explicit dependency: job J of this task needs the job {@code upstream(J)} of task {@code
   * task} to be COMPLETED.
   *
   * @param task the upstream task's name
   * @param upstream maps this task's job to the parameters of the upstream job (the upstream key
   *     follows from them), or to null when this job needs none (the first of a chain); for
   *     repository-driven tasks the same key is used when the function is null
   */
  public record Dependency(String task, Function<Job, Map<String, Object>> upstream) {}

  private final String name;
  private final List<Link> links;
  private final Map<String, Param> params;
  private final List<Dependency> dependencies;
  private final JobFunction function;
  private final ScriptSpec script;
  private final int maxTries;
  private final int parallelism;
  private final Duration backoff;
  private final double cpu;
  private final long memoryMb;
  private final String version;
  private final String executor;

  private PipelineTask(Builder b) {
    this.name = b.name;
    this.links = List.copyOf(b.links);
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(b.params));
    this.dependencies = List.copyOf(b.dependencies);
    this.function = b.function;
    this.script = b.script;
    this.maxTries = b.maxTries;
    this.parallelism = b.parallelism;
    this.backoff = b.backoff;
    this.cpu = b.cpu;
    this.memoryMb = b.memoryMb;
    this.version = b.version;
    this.executor = b.executor;
  }

  /** A task whose body is Java code. */
  public static Builder java(String name, JobFunction function) {
    return new Builder(name, Objects.requireNonNull(function, "function"), null);
  }

  /** A task whose body is a script. */
  public static Builder script(String name, ScriptSpec script) {
    return new Builder(name, null, Objects.requireNonNull(script, "script"));
  }

  public String name() {
    return name;
  }

  public List<Link> links() {
    return links;
  }

  /** The link of that name, if any. */
  public Optional<Link> link(String linkName) {
    return links.stream().filter(l -> l.name().equals(linkName)).findFirst();
  }

  /** The links of one kind, in declaration order. */
  public List<Link> links(LinkKind kind) {
    return links.stream().filter(l -> l.kind() == kind).toList();
  }

  public Map<String, Param> params() {
    return params;
  }

  /** Whether jobs are named by parameters (luigi style) rather than by input keys. */
  public boolean parameterized() {
    return !params.isEmpty() || links(LinkKind.INPUT).isEmpty();
  }

  public List<Dependency> dependencies() {
    return dependencies;
  }

  /** The Java body, or empty for a script task. */
  public Optional<JobFunction> function() {
    return Optional.ofNullable(function);
  }

  /** The script body, or empty for a Java task. */
  public Optional<ScriptSpec> script() {
    return Optional.ofNullable(script);
  }

  /**
   * The executor its jobs run on, by name, or empty for the default ({@code in-process} for a Java
   * task, {@code local-process} for a script task). Checked against the Cairn's executors when the
   * pipeline is registered.
   */
  public Optional<String> executor() {
    return Optional.ofNullable(executor);
  }

  /** Attempts before a failing job is ABORTED (default 3). */
  public int maxTries() {
    return maxTries;
  }

  /** Jobs of this task running at once, at most (default: no limit beyond the run's workers). */
  public int parallelism() {
    return parallelism;
  }

  /** Wait before the first retry; doubles each retry (default 1 s). */
  public Duration backoff() {
    return backoff;
  }

  /** CPUs one job uses, counted against the run's budget (default 1). */
  public double cpu() {
    return cpu;
  }

  /** Memory one job uses, MiB, counted against the run's budget (default 0: not counted). */
  public long memoryMb() {
    return memoryMb;
  }

  /** The task's version: changing it makes its completed jobs stale (default ""). */
  public String version() {
    return version;
  }

  @Override
  public String toString() {
    return "PipelineTask[" + name + "]";
  }

  /** Configures a task; every setter validates its value. */
  public static final class Builder {
    private final String name;
    private final JobFunction function;
    private final ScriptSpec script;
    private final List<Link> links = new ArrayList<>();
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final List<Dependency> dependencies = new ArrayList<>();
    private int maxTries = 3;
    private int parallelism = Integer.MAX_VALUE;
    private Duration backoff = Duration.ofSeconds(1);
    private double cpu = 1;
    private long memoryMb;
    private String version = "";
    private String executor;

    private Builder(String name, JobFunction function, ScriptSpec script) {
      try {
        Names.checkCollection(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            e.getMessage().replace("collection name", "task name"), e);
      }
      this.name = name;
      this.function = function;
      this.script = script;
    }

    private Builder link(String linkName, LinkKind kind, Repository repo) {
      Link l = new Link(linkName, kind, repo);
      if (links.stream().anyMatch(x -> x.name().equals(linkName))) {
        throw new IllegalArgumentException(
            "task '" + name + "' already has a link '" + linkName + "'");
      }
      links.add(l);
      return this;
    }

    /** A source of jobs; a job is ready only when it is in every input. */
    public Builder input(String linkName, Repository repo) {
      return link(linkName, LinkKind.INPUT, repo);
    }

    /** Required for start, not a source of jobs. */
    public Builder requires(String linkName, Repository repo) {
      return link(linkName, LinkKind.REQUIRED, repo);
    }

    /** A job present here is not started. */
    public Builder inhibitedBy(String linkName, Repository repo) {
      return link(linkName, LinkKind.INHIBITS, repo);
    }

    /** Written by the task. */
    public Builder output(String linkName, Repository repo) {
      return link(linkName, LinkKind.OUTPUT, repo);
    }

    /** Job J needs job J (same key) of {@code task} COMPLETED. */
    public Builder after(String task) {
      dependencies.add(new Dependency(Objects.requireNonNull(task, "task"), null));
      return this;
    }

    /**
     * Job J needs the job of {@code task} with parameters {@code upstream(J)} COMPLETED; {@code
     * upstream} returns null when J needs no such job. A parameterized task may depend on itself
     * (job n on job n - 1).
     */
    public Builder dependsOn(String task, Function<Job, Map<String, Object>> upstream) {
      dependencies.add(
          new Dependency(Objects.requireNonNull(task, "task"), Objects.requireNonNull(upstream)));
      return this;
    }

    /** Declares a required parameter. */
    public Builder param(String paramName, ParamType type) {
      return param(paramName, type, null);
    }

    /** Declares a parameter with a default. */
    public Builder param(String paramName, ParamType type, Object defaultValue) {
      if (paramName == null || !paramName.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
        throw new IllegalArgumentException("invalid parameter name '" + paramName + "'");
      }
      Objects.requireNonNull(type, "type");
      params.put(
          paramName,
          new Param(type, defaultValue == null ? null : type.check(paramName, defaultValue)));
      return this;
    }

    public Builder maxTries(int n) {
      if (n < 1 || n > 1_000) {
        throw new IllegalArgumentException("maxTries must be 1 to 1000, got " + n);
      }
      this.maxTries = n;
      return this;
    }

    public Builder parallelism(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + n);
      }
      this.parallelism = n;
      return this;
    }

    public Builder backoff(Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("backoff must be zero or positive, got " + d);
      }
      this.backoff = d;
      return this;
    }

    public Builder cpu(double n) {
      if (!(n >= 0) || n > 1_024) {
        throw new IllegalArgumentException("cpu must be 0 to 1024, got " + n);
      }
      this.cpu = n;
      return this;
    }

    public Builder memoryMb(long mb) {
      if (mb < 0) {
        throw new IllegalArgumentException("memoryMb must be 0 or more, got " + mb);
      }
      this.memoryMb = mb;
      return this;
    }

    public Builder version(String v) {
      this.version = Objects.requireNonNull(v, "version");
      return this;
    }

    /**
     * Runs the task's jobs on the named executor: {@code in-process}, {@code local-process}, or one
     * registered with {@code Cairn.builder().executor(name, executor)}.
     *
     * @throws IllegalArgumentException if the name is not a valid executor name (an unknown one is
     *     refused when the pipeline is registered, with the known names)
     */
    public Builder executor(String name) {
      this.executor = io.cairn.internal.exec.ExecutorRegistry.checkName(name);
      return this;
    }

    public PipelineTask build() {
      return new PipelineTask(this);
    }
  }
}
