package io.cairn.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/** JSON in and out of the API, with one shared mapper (thread-safe once configured). */
final class JsonText {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private JsonText() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses a JSON text stored by the engine; a value that does not parse is shown as text. */
  static Object readStored(String json) {
    if (json == null) {
      return null;
    }
    try {
      return MAPPER.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      return json;
    }
  }

  /** A request body: empty means {}; anything but a JSON object is a 400 naming the body. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> readBody(byte[] body) {
    if (body == null || body.length == 0) {
      return Map.of();
    }
    Object v;
    try {
      v = MAPPER.readValue(body, Object.class);
    } catch (java.io.IOException e) {
      throw ApiProblem.badParameter(
          "body", "request body is not valid JSON: send a JSON object such as {}", null);
    }
    if (!(v instanceof Map)) {
      throw ApiProblem.badParameter(
          "body", "request body must be a JSON object, got " + kind(v), null);
    }
    return (Map<String, Object>) v;
  }

  private static String kind(Object v) {
    return v == null
        ? "null"
        : v instanceof java.util.List
            ? "an array"
            : "a " + v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
