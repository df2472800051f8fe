package io.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Compares a JSON response with {@code src/test/resources/golden/<name>.json}, after blanking the
 * fields that differ per run (times, owners, ports). {@code -Dgolden.update=true} rewrites the
 * file.
 */
final class Golden {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> VOLATILE =
      Set.of("queued_ms", "started_ms", "ended_ms", "duration_ms", "owner", "throughput_per_s");

  private Golden() {}

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void check(String name, String json) {
    JsonNode actual = blank(parse(json));
    if (Boolean.getBoolean("golden.update")) {
      try {
        Path p = Path.of("src/test/resources/golden", name + ".json");
        Files.writeString(
            p, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name + ".json")) {
      assertThat(in).as("golden file golden/" + name + ".json").isNotNull();
      assertThat(actual).isEqualTo(MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode blank(JsonNode n) {
    if (n.isObject()) {
      ObjectNode o = (ObjectNode) n;
      for (var it = o.fields(); it.hasNext(); ) {
        var e = it.next();
        if (VOLATILE.contains(e.getKey()) && !e.getValue().isNull()) {
          e.setValue(MAPPER.getNodeFactory().textNode("*"));
        } else {
          blank(e.getValue());
        }
      }
    } else if (n.isArray()) {
      n.forEach(Golden::blank);
    }
    return n;
  }
}
