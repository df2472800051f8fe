package io.cairn.internal.pipeline.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.cairn.pipeline.PipelineYamlException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML text into {@link YamlNode}s with Jackson's streaming parser, keeping each node's line
 * (a tree read with {@code readTree} has none). Duplicate keys are errors, as is a second document.
 */
public final class YamlTreeReader {
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
  private static final Pattern MARK = Pattern.compile("^\\s*in '[^']*', line (\\d+), column \\d+:");

  private final String file;
  private final JsonParser parser;

  private YamlTreeReader(String file, JsonParser parser) {
    this.file = file;
    this.parser = parser;
  }

  /**
   * Parses one YAML document whose root is a mapping.
   *
   * @throws PipelineYamlException at the syntax error's line, or at line 1 for an empty file or a
   *     root that is not a mapping
   */
  public static YamlNode read(String yaml, String file) {
    try (JsonParser p = FACTORY.createParser(yaml)) {
      YamlTreeReader r = new YamlTreeReader(file, p);
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new PipelineYamlException(
            file, 1, null, "the file is empty; expected a mapping with 'pipeline' and 'tasks'");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new PipelineYamlException(
            file,
            1,
            null,
            "expected a mapping with 'pipeline' and 'tasks' at the top, got " + r.describe(first));
      }
      YamlNode root = r.value(1, "");
      if (p.nextToken() != null) {
        throw new PipelineYamlException(
            file, r.line(), null, "a second YAML document ('---'); a pipeline file holds one");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw syntaxError(file, e);
    } catch (IOException e) {
      throw new PipelineYamlException(file, 0, null, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * A syntax error at its problem's line. Jackson's own location is the last good token, so the
   * line comes from the YAML parser's message: "CONTEXT / mark / PROBLEM / mark", each mark {@code
   * in 'reader', line N, column M:} followed by the offending line and a caret. At the end of the
   * input (an unclosed quote, say) the context's line is where to look.
   */
  private static PipelineYamlException syntaxError(String file, JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    List<String> texts = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String l : m.split("\n")) {
      Matcher mark = MARK.matcher(l);
      if (mark.find()) {
        texts.add(text.toString().strip());
        lines.add(Integer.parseInt(mark.group(1)));
        text.setLength(0);
      } else if (!l.startsWith("    ") && !l.isBlank()) {
        text.append(text.length() == 0 ? "" : "; ").append(l.strip());
      }
    }
    if (text.length() > 0) {
      texts.add(text.toString().strip());
      lines.add(null);
    }
    String detail;
    Integer line;
    if (texts.size() >= 2 && !texts.get(1).isEmpty() && lines.get(0) != null) {
      String context = texts.get(0);
      String problem = texts.get(1);
      boolean atEnd = problem.contains("end of stream");
      line = atEnd || lines.get(1) == null ? lines.get(0) : lines.get(1);
      detail =
          problem + (context.isEmpty() ? "" : " (" + context + " on line " + lines.get(0) + ")");
    } else if (!texts.isEmpty() && !texts.get(0).isEmpty()) {
      detail = texts.get(0);
      line = lines.get(0);
    } else {
      detail = m.isBlank() ? "syntax error" : m.strip();
      line = null;
    }
    if (line == null) {
      JsonLocation at = e.getLocation();
      line = at == null || at.getLineNr() < 1 ? 1 : at.getLineNr();
    }
    return new PipelineYamlException(file, line, null, "invalid YAML: " + detail, e);
  }

  private int line() {
    return parser.currentTokenLocation().getLineNr();
  }

  private String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "a list";
      case VALUE_NULL -> "nothing";
      default -> "'" + text() + "'";
    };
  }

  private String text() {
    try {
      return parser.getText();
    } catch (IOException e) {
      return "?";
    }
  }

  /** The value at the current token; {@code line} is where it is said to be (its key's line). */
  private YamlNode value(int line, String path) throws IOException {
    JsonToken t = parser.currentToken();
    switch (t) {
      case START_OBJECT:
        LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = line();
          String childPath = path.isEmpty() ? key : path + "." + key;
          if (entries.containsKey(key)) {
            throw new PipelineYamlException(
                file,
                keyLine,
                childPath,
                "duplicate key '" + key + "' (first on line " + entries.get(key).line() + ")");
          }
          parser.nextToken();
          entries.put(key, value(keyLine, childPath));
        }
        return YamlNode.map(file, line, path, entries);
      case START_ARRAY:
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(value(line(), path + "[" + items.size() + "]"));
        }
        return YamlNode.list(file, line, path, items);
      case VALUE_NULL:
        return YamlNode.nil(file, line, path);
      default:
        if (((YAMLParser) parser).isCurrentAlias()) {
          throw new PipelineYamlException(
              file,
              line(),
              path.isEmpty() ? null : path,
              "aliases (*" + parser.getText() + ") are not supported");
        }
        return YamlNode.scalar(file, line, path, parser.getText());
    }
  }
}
