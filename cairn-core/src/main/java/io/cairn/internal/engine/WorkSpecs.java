package io.cairn.internal.engine;

import io.cairn.CorruptDataException;
import io.cairn.internal.json.Json;
import io.cairn.spi.BlobKey;
import io.cairn.spi.WorkSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link WorkSpec} as the JSON text a QUEUED resource carries ({@code StoredResource.workJson}),
 * readable by any worker whatever its language: {@code {"call": name, "args": {...}, "cpus": n,
 * "memory": bytes}} or {@code {"script": [argv], "env": {...}, "dir", "stdin": {"file" | "blob" |
 * "text": ...}, "stdout", "stderr", "inputs": [{"blob", "path"}], "outputs": [...], "timeoutMs",
 * "cpus", "memory"}}.
 */
public final class WorkSpecs {
  private WorkSpecs() {}

  /** The JSON text of a work spec. */
  public static String write(WorkSpec work) {
    Map<String, Object> doc = new LinkedHashMap<>();
    if (work instanceof WorkSpec.Call c) {
      doc.put("call", c.function());
      doc.put("args", Json.read(c.argsJson()));
    } else if (work instanceof WorkSpec.Script s) {
      doc.put("script", s.command());
      doc.put("env", s.environment());
      putPath(doc, "dir", s.workDir());
      if (s.stdin() instanceof WorkSpec.Stdin.File f) {
        doc.put("stdin", Map.of("file", f.path().toString()));
      } else if (s.stdin() instanceof WorkSpec.Stdin.Blob b) {
        doc.put("stdin", Map.of("blob", b.key().toString()));
      } else if (s.stdin() instanceof WorkSpec.Stdin.Text t) {
        doc.put("stdin", Map.of("text", t.text()));
      }
      putPath(doc, "stdout", s.stdout());
      putPath(doc, "stderr", s.stderr());
      doc.put("inputs", transfers(s.inputs()));
      doc.put("outputs", transfers(s.outputs()));
      if (s.timeout() != null) {
        doc.put("timeoutMs", s.timeout().toMillis());
      }
    }
    doc.put("cpus", work.needs().cpus());
    doc.put("memory", work.needs().memoryBytes());
    return Json.write(doc);
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @throws CorruptDataException when the text is not a work spec
   */
  @SuppressWarnings("unchecked")
  public static WorkSpec read(String json) {
    try {
      Map<String, Object> doc = Json.readMap(json);
      WorkSpec.Needs needs =
          new WorkSpec.Needs(
              ((Number) doc.getOrDefault("cpus", 0)).intValue(),
              ((Number) doc.getOrDefault("memory", 0)).longValue());
      if (doc.get("call") instanceof String name) {
        return new WorkSpec.Call(
            name, Json.writeCanonical(doc.getOrDefault("args", Map.of())), needs);
      }
      List<String> argv = (List<String>) doc.get("script");
      Object timeout = doc.get("timeoutMs");
      return new WorkSpec.Script(
          argv,
          (Map<String, String>) doc.getOrDefault("env", Map.of()),
          path(doc, "dir"),
          stdin(doc.get("stdin")),
          path(doc, "stdout"),
          path(doc, "stderr"),
          readTransfers(doc.get("inputs")),
          readTransfers(doc.get("outputs")),
          timeout == null ? null : Duration.ofMillis(((Number) timeout).longValue()),
          needs);
    } catch (RuntimeException e) {
      throw new CorruptDataException("stored work spec is not valid: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static WorkSpec.Stdin stdin(Object v) {
    if (v == null) {
      return null;
    }
    Map<String, String> m = (Map<String, String>) v;
    if (m.containsKey("file")) {
      return new WorkSpec.Stdin.File(Path.of(m.get("file")));
    }
    if (m.containsKey("blob")) {
      return new WorkSpec.Stdin.Blob(BlobKey.of(m.get("blob")));
    }
    return new WorkSpec.Stdin.Text(m.get("text"));
  }

  private static void putPath(Map<String, Object> doc, String name, Path p) {
    if (p != null) {
      doc.put(name, p.toString());
    }
  }

  private static Path path(Map<String, Object> doc, String name) {
    Object v = doc.get(name);
    return v == null ? null : Path.of((String) v);
  }

  private static List<Map<String, String>> transfers(List<WorkSpec.Transfer> ts) {
    List<Map<String, String>> out = new ArrayList<>();
    for (WorkSpec.Transfer t : ts) {
      out.add(Map.of("blob", t.blob().toString(), "path", t.path()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<WorkSpec.Transfer> readTransfers(Object v) {
    List<WorkSpec.Transfer> out = new ArrayList<>();
    if (v != null) {
      for (Map<String, String> t : (List<Map<String, String>>) v) {
        out.add(new WorkSpec.Transfer(BlobKey.of(t.get("blob")), t.get("path")));
      }
    }
    return out;
  }
}
