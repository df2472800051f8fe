package io.cairn.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cairn.CorruptDataException;
import java.util.Map;

/**
 * The one place Cairn turns values into JSON text and back. Jackson stays inside.
 *
 * <p>Writing accepts JSON values only (see {@link #write}); reading accepts everything writing can
 * produce: no limit on the length of strings, names or numbers, the same nesting depth. So whatever
 * the store holds can be read back.
 */
public final class Json {
  /** Default maximum size of a stored result: 16 MiB of JSON text (UTF-8). */
  public static final long DEFAULT_MAX_RESULT_BYTES = 16L << 20;

  /** The largest maximum result size that may be configured: 512 MiB. */
  public static final long MAX_RESULT_BYTES_LIMIT = 512L << 20;

  private static final String JSON_VALUES =
      "use maps with string keys, lists, strings, numbers, booleans, null or records";

  private static final ObjectMapper MAPPER = newMapper(false);

  // Sorted keys make equal arguments produce equal text, so fingerprints do not depend on the
  // order a caller happened to put map entries in.
  private static final ObjectMapper CANONICAL = newMapper(true);

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  // Readers and writers made once: per call, ObjectMapper would look its (de)serializers up again.
  private static final ObjectReader VALUE_READER = MAPPER.readerFor(Object.class);
  private static final ObjectReader MAP_READER = MAPPER.readerFor(MAP);
  private static final JsonValueWriter VALUE_WRITER = new JsonValueWriter(MAPPER, false);
  private static final JsonValueWriter CANONICAL_WRITER = new JsonValueWriter(CANONICAL, true);

  private Json() {}

  private static ObjectMapper newMapper(boolean canonical) {
    // Jackson's default read limits (strings of 20,000,000 characters, names of 50,000, numbers of
    // 1,000 digits) are lower than what it writes without complaint: a stored value over them
    // would be unreadable forever. Reading accepts any length; depth is limited as writing is.
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNestingDepth(JsonValueWriter.MAX_DEPTH)
                    .maxDocumentLength(-1)
                    .maxTokenCount(-1)
                    .build())
            .streamWriteConstraints(
                StreamWriteConstraints.builder().maxNestingDepth(JsonValueWriter.MAX_DEPTH).build())
            .build();
    JsonMapper.Builder b =
        JsonMapper.builder(factory)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    if (canonical) {
      b.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);
    }
    return b.build();
  }

  /** The shared mapper, for modules that need Jackson directly (CLI, server). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Writes a JSON value as JSON text. JSON values are: {@code null}; strings (valid Unicode: no
   * lone surrogate) and characters; booleans; finite numbers ({@code Integer}, {@code Long}, {@code
   * Short}, {@code Byte}, {@code Double}, {@code Float}, {@code BigInteger}, {@code BigDecimal},
   * atomic integers); maps with string keys; collections and arrays (not {@code byte[]}); records,
   * as objects; {@code Optional}s (empty: {@code null}); and, as strings, enums (their name),
   * {@code java.time} dates, times, durations and zones (ISO-8601), {@code java.util.Date}, {@code
   * UUID} and {@code URI}. At most 1,000 levels deep.
   *
   * @throws JsonValueException naming the path of the first part that is not a JSON value ({@code
   *     items[3].worker: java.lang.Thread is not a JSON value ...})
   */
  public static String write(Object value) {
    return write(VALUE_WRITER, value, "", Long.MAX_VALUE);
  }

  /** Writes a JSON value as canonical JSON (map entries sorted by key); see {@link #write}. */
  public static String writeCanonical(Object value) {
    return write(CANONICAL_WRITER, value, "", Long.MAX_VALUE);
  }

  /**
   * Writes the result of a computation: a JSON value (see {@link #write}; the message's path starts
   * at {@code result}) of at most {@code maxBytes} of JSON text (UTF-8).
   *
   * @throws JsonValueException if a part is not a JSON value, or the text is over {@code maxBytes}:
   *     the message states the limit and suggests files under {@code ctx.storage()} for big data
   */
  public static String writeResult(Object value, long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    return write(VALUE_WRITER, value, "result", maxBytes);
  }

  private static String write(JsonValueWriter writer, Object value, String root, long maxBytes) {
    try {
      return writer.write(value, root, maxBytes);
    } catch (JsonValueWriter.NotJson e) {
      throw new JsonValueException(
          e.getMessage() + ", so it cannot be stored as JSON; " + JSON_VALUES, e.getCause());
    } catch (JsonValueWriter.TooLarge e) {
      throw new JsonValueException(
          (root.isEmpty() ? "value" : root)
              + " is over the limit of "
              + size(maxBytes)
              + " of JSON (Cairn.builder().maxResultSize); keep big data in files under"
              + " ctx.storage() and return their names",
          null);
    }
  }

  /** {@code 16 MiB (16,777,216 bytes)}, {@code 1,000 bytes}. */
  public static String size(long bytes) {
    String exact = String.format("%,d bytes", bytes);
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB (" + exact + ")";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB (" + exact + ")";
    }
    return exact;
  }

  /**
   * Reads JSON text into plain Java values (maps, lists, strings, numbers, booleans, null).
   *
   * @throws CorruptDataException if the text is not valid JSON
   */
  public static Object read(String json) {
    if (json == null) {
      return null;
    }
    try {
      return VALUE_READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new CorruptDataException("not valid JSON: " + e.getOriginalMessage(), e);
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
      throw new CorruptDataException("not a valid JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads JSON text into an instance of {@code type}. */
  public static <T> T readAs(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      if (!(e instanceof DatabindException)) {
        throw new CorruptDataException("not valid JSON: " + e.getOriginalMessage(), e);
      }
      throw new IllegalArgumentException(
          "stored JSON does not fit " + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Converts plain JSON values into an instance of {@code type}. */
  public static <T> T convert(Object value, Class<T> type) {
    return MAPPER.convertValue(value, type);
  }

  /** A value that has no JSON form, or is over the size limit. */
  public static final class JsonValueException extends IllegalArgumentException {
    JsonValueException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
