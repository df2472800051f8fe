package io.cairn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code cairn ls EXPR}: the sorted keys of a pipeline set expression. */
final class PipelineKeys {
  /** What makes an argument an expression rather than a collection name. */
  private static final Pattern OPERATORS = Pattern.compile("[.|&()\\s-]");

  private PipelineKeys() {}

  static boolean looksLikeExpression(String arg) {
    return OPERATORS.matcher(arg).find();
  }

  /**
   * Lists the keys if {@code arg} is an expression (it has an operator or names a task).
   *
   * @return the exit code, or null when {@code arg} is a collection name after all
   */
  static Integer listIfExpression(
      Main main, PipelineFileOption file, String arg, boolean json, Output o) {
    try (PipelineSession s = PipelineSession.openForReading(main, file)) {
      if (!looksLikeExpression(arg) && s.pipeline().task(arg).isEmpty()) {
        return null;
      }
      List<String> keys;
      try {
        keys = new ArrayList<>(s.runner().keys(arg));
      } catch (IllegalArgumentException e) {
        if (!s.preview() && s.collections().contains(arg)) {
          return null; // not an expression of this pipeline, but a collection of the home
        }
        throw e;
      }
      keys.sort(null);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("expression", arg);
        doc.put("keys", keys);
        o.json(doc);
      } else {
        keys.forEach(o::println);
        if (keys.isEmpty()) {
          o.note("no keys in " + arg);
        }
      }
      return ErrorHandler.OK;
    }
  }
}
