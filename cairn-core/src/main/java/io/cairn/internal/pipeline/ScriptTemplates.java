package io.cairn.internal.pipeline;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.cairn.internal.json.Json;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.PipelineTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Mustache templates of script tasks: a command, where every substituted value is single-quoted
 * for {@code /bin/sh}, and environment values, which are inserted as they are.
 *
 * <p>How quoting cannot be bypassed: the formatter wraps each value in a {@link Quotable}, and only
 * this class's escaper unwraps it (into a quoted word). Mustache's unescaped forms ({@code
 * {{{x}}}}, {@code {{&x}}}) skip the configured escaper and turn the value into text with {@code
 * toString()}, which a {@link Quotable} refuses; so they fail, whatever the delimiters.
 */
final class ScriptTemplates {
  /** The names every template may use, besides {@code params.NAME} and {@code links.NAME}. */
  static final List<String> FIXED = List.of("job", "key", "task", "pipeline", "workdir");

  private static final Mustache.Compiler QUOTED =
      Mustache.compiler()
          .emptyStringIsFalse(true)
          .withFormatter(value -> new Quotable(text(value)))
          .withEscaper(
              new Mustache.Escaper() {
                @Override
                public String escape(String raw) {
                  return quote(raw);
                }

                @Override
                public CharSequence escape(CharSequence raw) {
                  return quote(raw instanceof Quotable q ? q.text : raw.toString());
                }
              });

  private static final Mustache.Compiler PLAIN =
      Mustache.compiler()
          .emptyStringIsFalse(true)
          .withFormatter(ScriptTemplates::text)
          .withEscaper(Escapers.NONE);

  private ScriptTemplates() {}

  /** The names a task's templates may use, in the order messages list them. */
  static List<String> names(PipelineTask task) {
    List<String> names = new ArrayList<>(FIXED);
    task.params().keySet().forEach(p -> names.add("params." + p));
    for (Link l : task.links()) {
      names.add("links." + l.name());
    }
    return names;
  }

  /**
   * Checks a template: it parses, uses only allowed names, no partials, and (when quoted) no
   * unescaped tags.
   *
   * @throws ScriptValidationException naming the field and what is wrong
   */
  static void check(PipelineTask task, String field, String text, boolean quoted) {
    Template t = compile(task, field, text, quoted);
    List<String> allowed = names(task);
    Set<String> used = new LinkedHashSet<>();
    List<String> partials = new ArrayList<>();
    t.visit(
        new Mustache.Visitor() {
          @Override
          public void visitText(String s) {}

          @Override
          public void visitVariable(String name) {
            used.add(name);
          }

          @Override
          public boolean visitInclude(String name) {
            partials.add(name);
            return false;
          }

          @Override
          public boolean visitParent(String name) {
            partials.add(name);
            return false;
          }

          @Override
          public boolean visitSection(String name) {
            used.add(name);
            return true;
          }

          @Override
          public boolean visitInvertedSection(String name) {
            used.add(name);
            return true;
          }
        });
    if (!partials.isEmpty()) {
      throw new ScriptValidationException(
          task.name(), field, "partials ({{>" + partials.get(0) + "}}) are not supported");
    }
    for (String name : used) {
      if (!allowed.contains(name)) {
        throw new ScriptValidationException(
            task.name(),
            field,
            "unknown name '" + name + "'; names: " + String.join(", ", allowed));
      }
    }
    // Sections render their content only for some values: one pass with every value set, one
    // with every value empty, so every tag is rendered at least once.
    render(task, field, t, sample(task, "x"));
    render(task, field, t, sample(task, ""));
  }

  /** Compiles a template, for a command (quoted) or an environment value (plain). */
  static Template compile(PipelineTask task, String field, String text, boolean quoted) {
    try {
      return (quoted ? QUOTED : PLAIN).compile(text);
    } catch (MustacheException e) {
      throw new ScriptValidationException(
          task.name(), field, "invalid template: " + e.getMessage());
    }
  }

  /**
   * Renders a compiled template.
   *
   * @throws ScriptValidationException if it uses a name the model lacks or an unescaped tag
   */
  static String render(PipelineTask task, String field, Template t, Map<String, Object> model) {
    try {
      return t.execute(model);
    } catch (Quotable.Unquoted e) {
      throw new ScriptValidationException(
          task.name(),
          field,
          "{{{name}}} and {{&name}} are not offered: every value is shell-quoted; write {{name}}");
    } catch (MustacheException.Context e) {
      throw new ScriptValidationException(
          task.name(),
          field,
          "no value for '" + e.key + "'; names: " + String.join(", ", names(task)));
    } catch (MustacheException e) {
      throw new ScriptValidationException(task.name(), field, "cannot render: " + e.getMessage());
    }
  }

  /** A model with the task's names, every value {@code value}. */
  private static Map<String, Object> sample(PipelineTask task, String value) {
    Map<String, Object> model = new HashMap<>();
    FIXED.forEach(n -> model.put(n, value));
    Map<String, Object> params = new LinkedHashMap<>();
    task.params().keySet().forEach(p -> params.put(p, value));
    Map<String, Object> links = new LinkedHashMap<>();
    task.links().forEach(l -> links.put(l.name(), value));
    model.put("params", params);
    model.put("links", links);
    return model;
  }

  /** A value as text: strings as they are, maps and lists as compact JSON. */
  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return Json.write(value);
  }

  /** One shell word: single quotes, each {@code '} written as {@code '\''}. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** A formatted value on its way to the quoting escaper; any other way of printing it fails. */
  private static final class Quotable implements CharSequence {
    final String text;

    Quotable(String text) {
      this.text = text;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      throw new Unquoted();
    }

    /** Thrown when a template prints a value without the quoting escaper. */
    static final class Unquoted extends RuntimeException {
      Unquoted() {
        super("unquoted value", null, false, false);
      }
    }
  }
}
