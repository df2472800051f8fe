package io.cairn.internal.pipeline.yaml;

import io.cairn.Cairn;
import io.cairn.internal.pipeline.ScriptRunner;
import io.cairn.internal.pipeline.ScriptValidationException;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import io.cairn.pipeline.ScriptSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a parsed pipeline file into a {@link Pipeline} of script tasks. Every problem becomes one
 * {@link io.cairn.pipeline.PipelineYamlException} at the closest line: the checks the builders make
 * are caught and placed at the field that fed them.
 */
public final class YamlPipelineLoader {
  private static final List<String> TOP = List.of("pipeline", "repositories", "tasks", "executors");
  private static final List<String> TASK =
      List.of(
          "script",
          "shell",
          "inputs",
          "requires",
          "inhibits",
          "outputs",
          "after",
          "params",
          "stdin",
          "stdout",
          "stderr",
          "env",
          "timeout",
          "max_tries",
          "parallelism",
          "backoff",
          "cpu",
          "memory",
          "version",
          "executor");

  /** The environment variable holding the pipeline file's directory. */
  public static final String PROJECT_DIR = "CAIRN_PROJECT_DIR";

  private static final List<String> PARAM = List.of("type", "default");
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  private YamlPipelineLoader() {}

  /**
   * Builds the pipeline a file describes.
   *
   * @param root the file's top mapping
   * @param baseDir what relative paths resolve against (the file's directory)
   * @param cairn the home blob and collection repositories use, or null if there are none
   */
  public static Pipeline load(YamlNode root, Path baseDir, Cairn cairn) {
    String projectDir = baseDir.toAbsolutePath().normalize().toString();
    root.allowKeys(TOP, "");
    YamlNode nameNode = root.require("pipeline");
    Pipeline.Builder builder = guard(nameNode, () -> Pipeline.builder(nameNode.text()));
    Map<String, Repository> repos =
        YamlRepositories.build(root.get("repositories"), baseDir, cairn);
    YamlNode tasksNode = root.require("tasks");
    Map<String, YamlNode> taskNodes = tasksNode.entries();
    if (taskNodes.isEmpty()) {
      throw tasksNode.error("no tasks; declare at least one");
    }
    for (Map.Entry<String, YamlNode> e : taskNodes.entrySet()) {
      builder.task(task(e.getKey(), e.getValue(), repos, taskNodes, projectDir));
    }
    Pipeline pipeline;
    try {
      pipeline = builder.build();
    } catch (IllegalArgumentException e) {
      throw closestTask(e.getMessage(), taskNodes, tasksNode).error(e.getMessage());
    }
    for (PipelineTask t : pipeline.tasks()) {
      YamlNode node = taskNodes.get(t.name());
      try {
        ScriptRunner.validate(pipeline, t);
      } catch (ScriptValidationException e) {
        throw fieldNode(node, e.field()).error(e.detail());
      } catch (IllegalArgumentException e) {
        throw node.require("script").error(e.getMessage());
      }
    }
    return pipeline;
  }

  private static PipelineTask task(
      String name,
      YamlNode node,
      Map<String, Repository> repos,
      Map<String, YamlNode> tasks,
      String projectDir) {
    if (node.isNull()) {
      throw node.error("missing 'script'");
    }
    node.allowKeys(TASK, "");
    YamlNode script = node.require("script");
    Duration timeout = null;
    YamlNode timeoutNode = node.get("timeout");
    if (timeoutNode != null) {
      timeout = YamlValues.duration(timeoutNode);
      if (timeout.isZero()) {
        throw timeoutNode.error("must be more than zero");
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    // The working directory is fresh per job, so scripts find the project's files through this.
    // A path with Mustache braces in it would be read as a tag: leave it out then.
    if (!projectDir.contains("{{")) {
      env.put(PROJECT_DIR, projectDir);
    }
    YamlNode envNode = node.get("env");
    if (envNode != null) {
      for (Map.Entry<String, YamlNode> e : envNode.entries().entrySet()) {
        YamlValues.envName(e.getValue(), e.getKey());
        if (e.getValue().isNull()) {
          throw e.getValue().error("expected a value, got nothing");
        }
        env.put(e.getKey(), e.getValue().text());
      }
    }
    Duration limit = timeout;
    YamlNode shellNode = node.get("shell");
    String shell =
        shellNode == null
            ? null
            : guard(shellNode, () -> ScriptSpec.of("true").withShell(shellNode.text()).shell());
    ScriptSpec spec =
        guard(
            script,
            () ->
                new ScriptSpec(
                    script.text(),
                    text(node.get("stdin")),
                    text(node.get("stdout")),
                    text(node.get("stderr")),
                    env,
                    limit,
                    shell));
    PipelineTask.Builder b = guard(node, () -> PipelineTask.script(name, spec));

    links(node, "inputs", repos, b::input);
    links(node, "requires", repos, b::requires);
    links(node, "inhibits", repos, b::inhibitedBy);
    links(node, "outputs", repos, b::output);
    YamlNode after = node.get("after");
    if (after != null) {
      for (YamlNode item : after.items()) {
        String upstream = item.text();
        if (!tasks.containsKey(upstream)) {
          throw item.error(
              "unknown task '" + upstream + "'; tasks: " + String.join(", ", tasks.keySet()));
        }
        b.after(upstream);
      }
    }
    YamlNode params = node.get("params");
    if (params != null) {
      for (Map.Entry<String, YamlNode> e : params.entries().entrySet()) {
        param(b, e.getKey(), e.getValue());
      }
    }
    option(node, "max_tries", n -> b.maxTries(n.intValue()));
    option(node, "parallelism", n -> b.parallelism(n.intValue()));
    option(node, "backoff", n -> b.backoff(YamlValues.duration(n)));
    option(node, "cpu", n -> b.cpu(n.doubleValue()));
    option(node, "memory", n -> b.memoryMb(YamlValues.sizeMb(n)));
    option(node, "version", n -> b.version(n.text()));
    option(node, "executor", n -> b.executor(n.text()));
    return b.build();
  }

  private static void links(
      YamlNode task,
      String key,
      Map<String, Repository> repos,
      BiFunction<String, Repository, PipelineTask.Builder> add) {
    YamlNode section = task.get(key);
    if (section == null) {
      return;
    }
    for (Map.Entry<String, YamlNode> e : section.entries().entrySet()) {
      YamlNode value = e.getValue();
      if (value.isNull()) {
        throw value.error("expected a repository name, got nothing");
      }
      Repository repo = repos.get(value.text());
      if (repo == null) {
        throw value.error(YamlRepositories.unknown(value.text(), repos));
      }
      guard(value, () -> add.apply(e.getKey(), repo));
    }
  }

  private static void param(PipelineTask.Builder b, String name, YamlNode node) {
    YamlNode typeNode;
    YamlNode defaultNode = null;
    if (node.kind() == YamlNode.Kind.MAP) {
      node.allowKeys(PARAM, " for a parameter");
      typeNode = node.require("type");
      defaultNode = node.get("default");
    } else if (node.isNull()) {
      throw node.error(
          "expected a type (" + types() + ") or {type: ..., default: ...}, got nothing");
    } else {
      typeNode = node;
    }
    ParamType type =
        Arrays.stream(ParamType.values())
            .filter(t -> t.label().equals(typeNode.text()))
            .findFirst()
            .orElseThrow(
                () ->
                    typeNode.error(
                        "unknown parameter type '" + typeNode.text() + "'; types: " + types()));
    String defaultText = defaultNode == null ? null : defaultNode.text();
    try {
      b.param(name, type, defaultText);
    } catch (IllegalArgumentException e) {
      boolean badName = e.getMessage().startsWith("invalid parameter name");
      throw (badName || defaultNode == null ? node : defaultNode)
          .error(
              e.getMessage()
                  + (badName ? ": use 1-64 letters, digits and '_', starting with a letter" : ""));
    }
  }

  private static String types() {
    return String.join(", ", Arrays.stream(ParamType.values()).map(ParamType::label).toList());
  }

  private interface Setter {
    void set(YamlNode node);
  }

  private static void option(YamlNode task, String key, Setter setter) {
    YamlNode n = task.get(key);
    if (n != null) {
      guard(
          n,
          () -> {
            setter.set(n);
            return null;
          });
    }
  }

  private static String text(YamlNode n) {
    return n == null ? null : n.text();
  }

  /** The node a script check's field came from. */
  private static YamlNode fieldNode(YamlNode task, String field) {
    if (field.startsWith("env.")) {
      YamlNode env = task.get("env");
      YamlNode n = env == null ? null : env.get(field.substring(4));
      return n != null ? n : task;
    }
    YamlNode n = task.get(field.equals("command") ? "script" : field);
    return n != null ? n : task;
  }

  /** The task a builder's message names first (quoted, or in a cycle's path), else the section. */
  private static YamlNode closestTask(
      String message, Map<String, YamlNode> tasks, YamlNode section) {
    Matcher quoted = QUOTED.matcher(message);
    while (quoted.find()) {
      YamlNode n = tasks.get(quoted.group(1));
      if (n != null) {
        return n;
      }
    }
    int cycle = message.indexOf("cycle: ");
    if (cycle >= 0) {
      for (String word : message.substring(cycle + 7).split(" -> ")) {
        YamlNode n = tasks.get(word.strip());
        if (n != null) {
          return n;
        }
      }
    }
    return section;
  }

  private static <T> T guard(YamlNode at, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw at.error(e.getMessage());
    }
  }
}
