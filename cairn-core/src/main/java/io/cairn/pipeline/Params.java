package io.cairn.pipeline;

import io.cairn.internal.engine.Engine;
import io.cairn.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Parameters of parameterized jobs: checking against a task's declarations, and hashing. */
public final class Params {
  private Params() {}

  /**
   * Checks values against a task's declared parameters: every declared one present (or defaulted),
   * no unknown ones, each of its type.
   *
   * @return the typed values, sorted by name
   * @throws IllegalArgumentException naming what is wrong and what is allowed
   */
  public static Map<String, Object> check(PipelineTask task, Map<String, ?> values) {
    Map<String, Object> out = new TreeMap<>();
    Map<String, ?> given = values == null ? Map.of() : values;
    for (String name : given.keySet()) {
      if (!task.params().containsKey(name)) {
        throw new IllegalArgumentException(
            "task '"
                + task.name()
                + "' has no parameter '"
                + name
                + "'"
                + (task.params().isEmpty()
                    ? "; it takes none"
                    : "; it takes " + task.params().keySet()));
      }
    }
    for (Map.Entry<String, PipelineTask.Param> e : task.params().entrySet()) {
      Object v = given.get(e.getKey());
      if (v == null) {
        v = e.getValue().defaultValue();
      }
      if (v == null) {
        throw new IllegalArgumentException(
            "task '"
                + task.name()
                + "' needs parameter '"
                + e.getKey()
                + "' ("
                + e.getValue().type().label()
                + ")");
      }
      out.put(e.getKey(), e.getValue().type().check(e.getKey(), v));
    }
    return out;
  }

  /** Parses command-line {@code name=value} texts by the task's declared types. */
  public static Map<String, Object> parse(PipelineTask task, Map<String, String> texts) {
    Map<String, Object> typed = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : texts.entrySet()) {
      PipelineTask.Param p = task.params().get(e.getKey());
      typed.put(e.getKey(), p == null ? e.getValue() : p.type().parse(e.getKey(), e.getValue()));
    }
    return check(task, typed);
  }

  /**
   * The job key of a parameter set: 16 hex characters of the SHA-256 of its canonical JSON (sorted
   * keys), so the same parameters always name the same job and output location.
   */
  public static String hash(Map<String, Object> params) {
    return Engine.fingerprint(canonical(params), "").substring(0, 16);
  }

  /** Canonical JSON of parameters (sorted keys). */
  public static String canonical(Map<String, Object> params) {
    return Json.writeCanonical(params == null ? Map.of() : params);
  }
}
