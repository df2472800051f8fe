package io.cairn.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/** The one place Cairn turns values into JSON text and back. Jackson stays inside. */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  // Sorted keys make equal arguments produce equal text, so fingerprints do not depend on the
  // order a caller happened to put map entries in.
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .build();

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  // Readers and writers made once: per call, ObjectMapper would look its (de)serializers up again.
  private static final ObjectReader VALUE_READER = MAPPER.readerFor(Object.class);
  private static final ObjectReader MAP_READER = MAPPER.readerFor(MAP);
  private static final ObjectWriter VALUE_WRITER = MAPPER.writer();

  private Json() {}

  /** The shared mapper, for modules that need Jackson directly (CLI, server). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Writes a value as JSON text.
   *
   * @throws JsonValueException if the value cannot be represented as JSON
   */
  public static String write(Object value) {
    try {
      return VALUE_WRITER.writeValueAsString(value);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new JsonValueException(describe(value), e);
    }
  }

  /** Writes a value as canonical JSON (sorted keys). */
  public static String writeCanonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new JsonValueException(describe(value), e);
    }
  }

  /** Reads JSON text into plain Java values (maps, lists, strings, numbers, booleans, null). */
  public static Object read(String json) {
    if (json == null) {
      return null;
    }
    try {
      return VALUE_READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a JSON object into a map. */
  public static Map<String, Object> readMap(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return MAP_READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a valid JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads JSON text into an instance of {@code type}. */
  public static <T> T readAs(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "stored JSON does not fit " + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Converts plain JSON values into an instance of {@code type}. */
  public static <T> T convert(Object value, Class<T> type) {
    return MAPPER.convertValue(value, type);
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }

  /** A value that has no JSON form. */
  public static final class JsonValueException extends IllegalArgumentException {
    JsonValueException(String type, Throwable cause) {
      super(
          "value of type "
              + type
              + " cannot be stored as JSON ("
              + rootMessage(cause)
              + "); return maps, lists, strings, numbers, booleans, null or records",
          cause);
    }

    private static String rootMessage(Throwable t) {
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String m =
          root instanceof JsonProcessingException jpe
              ? jpe.getOriginalMessage()
              : root.getMessage();
      return m == null ? root.getClass().getSimpleName() : m;
    }
  }
}
