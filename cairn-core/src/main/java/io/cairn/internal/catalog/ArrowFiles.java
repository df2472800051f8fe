package io.cairn.internal.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema, row and batch counts of an Arrow IPC file, read from its footer and its record batches'
 * message headers (FlatBuffers read by hand: Apache Arrow Java would force {@code --add-opens} on
 * every library user). Only the few fields needed are read, every offset is bounds-checked, and
 * anything unexpected gives up: an object whose summary cannot be read is stored all the same,
 * without the {@code arrow.*} info.
 */
final class ArrowFiles {
  private static final int MAX_FOOTER = 16 << 20;
  private static final int MAX_BATCHES = 1_000_000;
  private static final int MESSAGE_RECORD_BATCH = 3;
  private static final String[] TYPES = {
    "none",
    "null",
    "int",
    "float",
    "binary",
    "utf8",
    "bool",
    "decimal",
    "date",
    "time",
    "timestamp",
    "interval",
    "list",
    "struct",
    "union",
    "fixed_size_binary",
    "fixed_size_list",
    "map",
    "duration",
    "large_binary",
    "large_utf8",
    "large_list",
    "run_end_encoded",
    "binary_view",
    "utf8_view",
    "list_view",
    "large_list_view"
  };

  private ArrowFiles() {}

  /** Random reads of the content. */
  interface Source {
    long size() throws IOException;

    ByteBuffer read(long pos, int len) throws IOException;
  }

  static Source of(byte[] bytes) {
    return new Source() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public ByteBuffer read(long pos, int len) {
        if (pos < 0 || len < 0 || pos + len > bytes.length) {
          throw new IndexOutOfBoundsException("read past the end");
        }
        return ByteBuffer.wrap(bytes, (int) pos, len).slice().order(ByteOrder.LITTLE_ENDIAN);
      }
    };
  }

  /**
   * The summary as info entries ({@code arrow.schema}, {@code arrow.rows}, {@code arrow.batches}),
   * or an empty map when the file cannot be read as an Arrow IPC file.
   */
  static Map<String, String> summarize(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return summarize(
          new Source() {
            @Override
            public long size() throws IOException {
              return ch.size();
            }

            @Override
            public ByteBuffer read(long pos, int len) throws IOException {
              if (pos < 0 || len < 0 || pos + len > ch.size()) {
                throw new IndexOutOfBoundsException("read past the end");
              }
              ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
              while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) < 0) {
                  throw new IndexOutOfBoundsException("file shrank");
                }
              }
              return b.flip();
            }
          });
    } catch (IOException e) {
      return Map.of();
    }
  }

  static Map<String, String> summarize(Source src) {
    try {
      long size = src.size();
      if (size < 18) {
        return Map.of();
      }
      ByteBuffer tail = src.read(size - 10, 10);
      int footerLength = tail.getInt(0);
      if (!"ARROW1".equals(ascii(tail, 4, 6)) || footerLength <= 0 || footerLength > MAX_FOOTER) {
        return Map.of();
      }
      ByteBuffer f = src.read(size - 10 - footerLength, footerLength);
      int footer = indirect(f, 0);
      int schema = field(f, footer, 1);
      int batches = field(f, footer, 3);
      if (schema == 0 || batches == 0) {
        return Map.of();
      }
      int vec = indirect(f, batches);
      int count = f.getInt(vec);
      if (count < 0 || count > MAX_BATCHES) {
        return Map.of();
      }
      long rows = 0;
      for (int i = 0; i < count; i++) {
        long offset = f.getLong(vec + 4 + 24 * i);
        int metaLength = f.getInt(vec + 4 + 24 * i + 8);
        rows += batchRows(src, offset, metaLength);
      }
      Map<String, String> out = new LinkedHashMap<>();
      out.put("arrow.schema", schema(f, indirect(f, schema)));
      out.put("arrow.rows", Long.toString(rows));
      out.put("arrow.batches", Integer.toString(count));
      return out;
    } catch (IOException | RuntimeException e) {
      return Map.of(); // not a well-formed Arrow file: no summary
    }
  }

  private static long batchRows(Source src, long offset, int metaLength) throws IOException {
    if (metaLength < 8 || metaLength > MAX_FOOTER) {
      throw new IllegalStateException("bad message length");
    }
    ByteBuffer m = src.read(offset, metaLength);
    // A message opens with a continuation marker (-1) and its length; older files omit the marker.
    int start = m.getInt(0) == -1 ? 8 : 4;
    ByteBuffer msg = m.position(start).slice().order(ByteOrder.LITTLE_ENDIAN);
    int message = indirect(msg, 0);
    int headerType = field(msg, message, 1);
    if (headerType == 0 || (msg.get(headerType) & 0xFF) != MESSAGE_RECORD_BATCH) {
      throw new IllegalStateException("not a record batch");
    }
    int header = indirect(msg, field(msg, message, 2));
    int length = field(msg, header, 0);
    return length == 0 ? 0 : msg.getLong(length);
  }

  private static String schema(ByteBuffer f, int schema) {
    int fields = field(f, schema, 1);
    List<String> parts = new ArrayList<>();
    if (fields != 0) {
      int vec = indirect(f, fields);
      int n = f.getInt(vec);
      for (int i = 0; i < n && i < 10_000; i++) {
        int fieldTable = indirect(f, vec + 4 + 4 * i);
        int name = field(f, fieldTable, 0);
        String fieldName = name == 0 ? "" : string(f, indirect(f, name));
        parts.add(fieldName + ": " + type(f, fieldTable));
      }
    }
    return String.join(", ", parts);
  }

  private static String type(ByteBuffer f, int fieldTable) {
    int typeType = field(f, fieldTable, 2);
    int code = typeType == 0 ? 0 : f.get(typeType) & 0xFF;
    String name = code < TYPES.length ? TYPES[code] : "type" + code;
    int typePos = field(f, fieldTable, 3);
    if (typePos == 0) {
      return name;
    }
    int type = indirect(f, typePos);
    if (code == 2) { // Int { bitWidth: int; is_signed: bool }
      int width = field(f, type, 0);
      int signed = field(f, type, 1);
      boolean isSigned = signed != 0 && f.get(signed) != 0;
      return (isSigned ? "int" : "uint") + (width == 0 ? "" : f.getInt(width));
    }
    if (code == 3) { // FloatingPoint { precision: short } HALF, SINGLE, DOUBLE
      int precision = field(f, type, 0);
      int p = precision == 0 ? 0 : f.getShort(precision);
      return p == 2 ? "float64" : p == 1 ? "float32" : "float16";
    }
    return name;
  }

  /** The position of field {@code index} of the table at {@code table}, or 0 when absent. */
  private static int field(ByteBuffer b, int table, int index) {
    int vtable = table - b.getInt(table);
    int vtableLength = b.getShort(vtable) & 0xFFFF;
    int slot = 4 + 2 * index;
    if (slot + 2 > vtableLength) {
      return 0;
    }
    int offset = b.getShort(vtable + slot) & 0xFFFF;
    return offset == 0 ? 0 : table + offset;
  }

  /** Follows the unsigned offset stored at {@code pos}. */
  private static int indirect(ByteBuffer b, int pos) {
    long target = pos + (b.getInt(pos) & 0xFFFFFFFFL);
    if (target >= b.limit()) {
      throw new IndexOutOfBoundsException("offset past the end");
    }
    return (int) target;
  }

  private static String string(ByteBuffer b, int pos) {
    int n = b.getInt(pos);
    if (n < 0 || pos + 4 + n > b.limit()) {
      throw new IndexOutOfBoundsException("string past the end");
    }
    byte[] out = new byte[n];
    b.get(pos + 4, out);
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String ascii(ByteBuffer b, int pos, int n) {
    byte[] out = new byte[n];
    b.get(pos, out);
    return new String(out, StandardCharsets.ISO_8859_1);
  }
}
