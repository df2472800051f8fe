package io.cairn.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.cairn.internal.engine.Names;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Writes a Java value as JSON text, refusing what is not a JSON value instead of dumping it as a
 * bean: walks the value itself and emits tokens to a Jackson generator, so what is checked is
 * exactly what is written, in one pass, and a value over the size limit stops being written as soon
 * as it passes the limit.
 *
 * <p>For every value it accepts, the text is the same as Jackson's own serialization with the same
 * mapper (map entries sorted by key and record properties alphabetically in canonical mode), so
 * fingerprints of canonical arguments do not change.
 */
final class JsonValueWriter {
  /** As Jackson's default {@link com.fasterxml.jackson.core.StreamWriteConstraints}. */
  static final int MAX_DEPTH = 1000;

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  private final ObjectMapper mapper;
  private final ObjectWriter leafWriter;
  private final boolean canonical;
  private final ClassValue<List<Property>> recordProperties;

  JsonValueWriter(ObjectMapper mapper, boolean canonical) {
    this.mapper = mapper;
    this.leafWriter = mapper.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    this.canonical = canonical;
    this.recordProperties =
        new ClassValue<>() {
          @Override
          protected List<Property> computeValue(Class<?> type) {
            return introspect(type);
          }
        };
  }

  /** A part of a value that is not JSON, with where it is. */
  static final class NotJson extends RuntimeException {
    NotJson(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  /** The output passed the size limit. */
  static final class TooLarge extends IOException {
    TooLarge() {
      super("over the size limit", null);
    }
  }

  /**
   * Writes {@code value} as JSON.
   *
   * @param root what the value is called in messages ("result"), "" for a plain value
   * @throws NotJson naming the path of the first part that is not a JSON value
   * @throws TooLarge if the text passes {@code maxBytes} of UTF-8
   */
  String write(Object value, String root, long maxBytes) throws TooLarge {
    LimitedWriter out = new LimitedWriter(maxBytes);
    Walk walk = new Walk(root);
    try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
      walk.value(gen, value, 0);
    } catch (StackOverflowError e) {
      throw new NotJson(walk.where() + ": is nested too deeply for this thread's stack", null);
    } catch (TooLarge e) {
      throw e;
    } catch (IOException e) {
      throw new NotJson(walk.where() + ": " + e.getMessage(), e);
    }
    return out.text.toString();
  }

  private final class Walk {
    private final String root;
    private final List<Object> path = new ArrayList<>(); // String keys, Integer indexes

    Walk(String root) {
      this.root = root;
    }

    // Containers recurse through value(): it stays small (no pattern variables) so that deep
    // values use little stack; everything else is in scalar().
    void value(JsonGenerator gen, Object v, int depth) throws IOException {
      if (v == null) {
        gen.writeNull();
      } else if (v instanceof String) {
        string(gen, (String) v);
      } else if (v instanceof Map) {
        map(gen, (Map<?, ?>) v, depth + 1);
      } else if (v instanceof Collection) {
        collection(gen, (Collection<?>) v, depth + 1);
      } else if (v instanceof Record) {
        record(gen, (Record) v, depth + 1);
      } else {
        scalar(gen, v, depth);
      }
    }

    private void scalar(JsonGenerator gen, Object v, int depth) throws IOException {
      if (v instanceof Integer i) {
        gen.writeNumber(i);
      } else if (v instanceof Long l) {
        gen.writeNumber(l);
      } else if (v instanceof Boolean b) {
        gen.writeBoolean(b);
      } else if (v instanceof Double d) {
        finite(d, d.isNaN() || d.isInfinite());
        gen.writeNumber(d);
      } else if (v instanceof Number n) {
        number(gen, n);
      } else if (v instanceof Character c) {
        string(gen, String.valueOf(c));
      } else if (v.getClass().isArray()) {
        array(gen, v, depth + 1);
      } else if (v instanceof Optional<?> o) {
        value(gen, o.orElse(null), depth);
      } else if (v instanceof OptionalInt o) {
        value(gen, o.isPresent() ? o.getAsInt() : null, depth);
      } else if (v instanceof OptionalLong o) {
        value(gen, o.isPresent() ? o.getAsLong() : null, depth);
      } else if (v instanceof OptionalDouble o) {
        value(gen, o.isPresent() ? o.getAsDouble() : null, depth);
      } else if (isLeaf(v)) {
        leafWriter.writeValue(gen, v);
      } else {
        throw notJson(v.getClass().getName() + " is not a JSON value" + hint(v), null);
      }
    }

    private void collection(JsonGenerator gen, Collection<?> c, int depth) throws IOException {
      enter(depth);
      gen.writeStartArray(c, c.size());
      int i = 0;
      for (Object e : c) {
        path.add(i++);
        value(gen, e, depth);
        path.remove(path.size() - 1);
      }
      gen.writeEndArray();
    }

    private void string(JsonGenerator gen, String s) throws IOException {
      checkUnicode(s);
      gen.writeString(s);
    }

    private void checkUnicode(String s) {
      int bad = Names.loneSurrogate(s);
      if (bad >= 0) {
        throw notJson(
            String.format(
                "string is not valid Unicode (lone surrogate \\u%04X at index %d: a string cut"
                    + " inside an emoji?)",
                (int) s.charAt(bad), bad),
            null);
      }
    }

    private void finite(Object n, boolean notFinite) {
      if (notFinite) {
        throw notJson(n + " is not a JSON number (use null or a finite number)", null);
      }
    }

    private void number(JsonGenerator gen, Number n) throws IOException {
      if (n instanceof Float f) {
        finite(f, f.isNaN() || f.isInfinite());
        gen.writeNumber(f);
      } else if (n instanceof BigDecimal b) {
        gen.writeNumber(b);
      } else if (n instanceof BigInteger b) {
        gen.writeNumber(b);
      } else if (n instanceof Short s) {
        gen.writeNumber(s);
      } else if (n instanceof Byte b) {
        gen.writeNumber(b.intValue());
      } else if (n instanceof AtomicInteger a) {
        gen.writeNumber(a.get());
      } else if (n instanceof AtomicLong a) {
        gen.writeNumber(a.get());
      } else {
        throw notJson(
            n.getClass().getName()
                + " is not a JSON value (use Integer, Long, Double, BigInteger or BigDecimal)",
            null);
      }
    }

    private void map(JsonGenerator gen, Map<?, ?> m, int depth) throws IOException {
      enter(depth);
      Map<?, ?> entries = m;
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          throw notJson(
              "map key "
                  + (k == null ? "null" : "of type " + k.getClass().getName())
                  + " is not a string (JSON objects have string keys)",
              null);
        }
      }
      if (canonical && !(m instanceof SortedMap)) {
        entries = new TreeMap<>(m);
      }
      gen.writeStartObject(m, m.size());
      for (Map.Entry<?, ?> e : entries.entrySet()) {
        String key = (String) e.getKey();
        path.add(key);
        checkUnicode(key);
        gen.writeFieldName(key);
        value(gen, e.getValue(), depth);
        path.remove(path.size() - 1);
      }
      gen.writeEndObject();
    }

    private void record(JsonGenerator gen, Record r, int depth) throws IOException {
      enter(depth);
      gen.writeStartObject(r);
      for (Property p : recordProperties.get(r.getClass())) {
        path.add(p.name);
        Object v;
        try {
          v = p.accessor.getValue(r);
        } catch (RuntimeException e) {
          throw notJson("could not be read (" + e.getMessage() + ")", e);
        }
        gen.writeFieldName(p.name);
        value(gen, v, depth);
        path.remove(path.size() - 1);
      }
      gen.writeEndObject();
    }

    private void array(JsonGenerator gen, Object a, int depth) throws IOException {
      if (a instanceof char[] chars) {
        string(gen, new String(chars));
        return;
      }
      if (a instanceof byte[]) {
        throw notJson(
            "byte[] is not a JSON value (encode it into a string with Base64, or write the bytes to"
                + " a file)",
            null);
      }
      enter(depth);
      int n = java.lang.reflect.Array.getLength(a);
      gen.writeStartArray(a, n);
      if (a instanceof Object[] objects) {
        for (int i = 0; i < n; i++) {
          element(gen, i, objects[i], depth);
        }
      } else if (a instanceof int[] ints) {
        for (int x : ints) {
          gen.writeNumber(x);
        }
      } else if (a instanceof long[] longs) {
        for (long x : longs) {
          gen.writeNumber(x);
        }
      } else if (a instanceof double[] doubles) {
        for (int i = 0; i < n; i++) {
          path.add(i);
          finite(doubles[i], Double.isNaN(doubles[i]) || Double.isInfinite(doubles[i]));
          path.remove(path.size() - 1);
          gen.writeNumber(doubles[i]);
        }
      } else {
        // short[], float[], boolean[]: rare; box them
        for (int i = 0; i < n; i++) {
          element(gen, i, java.lang.reflect.Array.get(a, i), depth);
        }
      }
      gen.writeEndArray();
    }

    private void element(JsonGenerator gen, int i, Object e, int depth) throws IOException {
      path.add(i);
      value(gen, e, depth);
      path.remove(path.size() - 1);
    }

    private void enter(int depth) {
      if (depth > MAX_DEPTH) {
        throw notJson(
            "is nested deeper than " + MAX_DEPTH + " levels (does the value contain itself?)",
            null);
      }
    }

    private NotJson notJson(String problem, Throwable cause) {
      return new NotJson(where() + ": " + problem, cause);
    }

    /** The path of the part being written: {@code result.items[3].name}. */
    String where() {
      StringBuilder s = new StringBuilder(root);
      for (Object p : path) {
        if (s.length() > 200) {
          s.append("...");
          break;
        }
        if (p instanceof Integer i) {
          s.append('[').append(i).append(']');
        } else {
          String k = (String) p;
          if (PLAIN_KEY.matcher(k).matches()) {
            s.append(s.length() == 0 ? "" : ".").append(k);
          } else {
            s.append("[").append(Names.quote(k).replace("'", "\"")).append("]");
          }
        }
      }
      return s.length() == 0 ? "value" : s.toString();
    }
  }

  private static String hint(Object v) {
    if (v instanceof java.nio.file.Path || v instanceof java.io.File) {
      return " (store the path as a string: toString())";
    }
    if (v instanceof Iterable<?> || v instanceof java.util.Iterator<?>) {
      return " (collect it into a list)";
    }
    if (v instanceof java.util.stream.BaseStream<?, ?>) {
      return " (collect it into a list: stream.toList())";
    }
    return "";
  }

  /** Values Jackson writes as one JSON string: dates and times (ISO-8601), UUIDs, URIs, enums. */
  private static boolean isLeaf(Object v) {
    return v instanceof Enum<?>
        || v instanceof Instant
        || v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof LocalTime
        || v instanceof OffsetDateTime
        || v instanceof OffsetTime
        || v instanceof ZonedDateTime
        || v instanceof Duration
        || v instanceof Period
        || v instanceof Year
        || v instanceof YearMonth
        || v instanceof MonthDay
        || v instanceof ZoneId
        || v instanceof Date
        || v instanceof UUID
        || v instanceof URI;
  }

  private record Property(String name, AnnotatedMember accessor) {}

  /** The properties Jackson would write for a record, in the order it would write them. */
  private List<Property> introspect(Class<?> type) {
    BeanDescription desc = mapper.getSerializationConfig().introspect(mapper.constructType(type));
    List<Property> props = new ArrayList<>();
    for (BeanPropertyDefinition p : desc.findProperties()) {
      AnnotatedMember accessor = p.getAccessor();
      if (accessor == null) {
        continue;
      }
      accessor.fixAccess(true);
      props.add(new Property(p.getName(), accessor));
    }
    return List.copyOf(props);
  }

  /** Collects the text, counting its UTF-8 bytes; refuses to grow past the limit. */
  private static final class LimitedWriter extends Writer {
    final StringBuilder text = new StringBuilder(128);
    private final long maxBytes;
    private long bytes;

    LimitedWriter(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      count(buf, off, len);
      text.append(buf, off, len);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
      count(s, off, len);
      text.append(s, off, off + len);
    }

    private void count(char[] buf, int off, int len) throws TooLarge {
      if (maxBytes == Long.MAX_VALUE) {
        return;
      }
      long n = bytes;
      for (int i = off; i < off + len; i++) {
        n += utf8Length(buf[i]);
      }
      check(n);
    }

    private void count(String s, int off, int len) throws TooLarge {
      if (maxBytes == Long.MAX_VALUE) {
        return;
      }
      long n = bytes;
      for (int i = off; i < off + len; i++) {
        n += utf8Length(s.charAt(i));
      }
      check(n);
    }

    private void check(long n) throws TooLarge {
      bytes = n;
      if (n > maxBytes) {
        throw new TooLarge();
      }
    }

    /** A surrogate pair is 4 bytes in UTF-8: 2 for each half. */
    private static int utf8Length(char c) {
      return c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
