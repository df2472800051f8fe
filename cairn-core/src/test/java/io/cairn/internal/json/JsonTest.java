package io.cairn.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cairn.CorruptDataException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JsonTest {
  enum Color {
    RED
  }

  record Point(int y, String x) {
    public String getLabel() {
      return x + y;
    }
  }

  record Holder(Object inner) {}

  /** Jackson configured as Cairn was before it wrote values itself: the text must not change. */
  private static ObjectMapper jackson(boolean canonical) {
    JsonMapper.Builder b =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    if (canonical) {
      b.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);
    }
    return b.build();
  }

  private static Object everyKindOfValue() {
    TreeMap<String, Object> reversed = new TreeMap<>(Comparator.reverseOrder());
    reversed.put("a", 1);
    reversed.put("b", 2);
    Map<String, Object> inner = new HashMap<>();
    inner.put("zeta", null);
    inner.put("alpha", List.of(1, 2.5, -3L, true, "é😀"));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("z", inner);
    v.put("m", reversed);
    v.put("point", new Point(3, "p"));
    v.put("numbers", new Object[] {(short) 4, (byte) 5, 1.5f, new BigDecimal("1E+3")});
    v.put("big", new BigInteger("123456789012345678901234567890"));
    v.put("atomic", new AtomicLong(7));
    v.put("char", 'c');
    v.put("chars", new char[] {'h', 'i'});
    v.put("ints", new int[] {1, 2});
    v.put("longs", new long[] {3L});
    v.put("doubles", new double[] {0.1, -2});
    v.put("set", new LinkedHashSet<>(List.of("s", "t")));
    v.put("color", Color.RED);
    v.put("when", Instant.parse("2024-05-06T07:08:09.123Z"));
    v.put("day", LocalDate.of(2024, 2, 29));
    v.put("id", UUID.fromString("8c1d8a52-36f1-4b36-a9f5-4d3a3c0a0b7e"));
    v.put("uri", URI.create("https://example.org/a?b=c"));
    return v;
  }

  @Test
  void valuesJacksonCouldWriteAreWrittenToTheSameTextSoFingerprintsDoNotChange() throws Exception {
    Object v = everyKindOfValue();
    assertThat(Json.write(v)).isEqualTo(jackson(false).writeValueAsString(v));
    assertThat(Json.writeCanonical(v)).isEqualTo(jackson(true).writeValueAsString(v));
    assertThat(Json.writeCanonical(v)).startsWith("{\"atomic\":7,\"big\":");
    assertThat(Json.writeCanonical(v)).contains("\"m\":{\"b\":2,\"a\":1}");
    assertThat(Json.write(v)).contains("\"point\":{\"y\":3,\"x\":\"p\",\"label\":\"p3\"}");
  }

  @Test
  void aBeanInsideAResultIsRefusedNamingItsPath() {
    Map<String, Object> result = Map.of("worker", Thread.currentThread());
    assertThatThrownBy(() -> Json.writeResult(result, Json.DEFAULT_MAX_RESULT_BYTES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("result.worker: java.lang.Thread is not a JSON value")
        .hasMessageContaining("cannot be stored as JSON")
        .hasMessageContaining("use maps with string keys, lists");
    assertThatThrownBy(() -> Json.write(List.of(1, Map.of("a b", List.of(new Object())))))
        .hasMessageStartingWith("[1][\"a b\"][0]: java.lang.Object is not a JSON value");
    assertThatThrownBy(() -> Json.write(new Object()))
        .hasMessageStartingWith("value: java.lang.Object is not a JSON value");
    assertThatThrownBy(() -> Json.write(new Holder(Path.of("/tmp"))))
        .hasMessageContaining("inner: ")
        .hasMessageContaining("store the path as a string");
  }

  @Test
  void notANumberAndInfinityAreRefusedInsteadOfBecomingStrings() {
    assertThatThrownBy(() -> Json.writeResult(Map.of("scores", List.of(1.0, Double.NaN)), 1 << 20))
        .hasMessageStartingWith("result.scores[1]: NaN is not a JSON number");
    assertThatThrownBy(() -> Json.write(Double.POSITIVE_INFINITY))
        .hasMessageStartingWith("value: Infinity is not a JSON number");
    assertThatThrownBy(() -> Json.write(new float[] {Float.NaN}))
        .hasMessageStartingWith("[0]: NaN is not a JSON number");
    assertThatThrownBy(() -> Json.write(new double[] {1, Double.NEGATIVE_INFINITY}))
        .hasMessageStartingWith("[1]: -Infinity is not a JSON number");
  }

  @Test
  void otherNonJsonShapesAreRefusedWithAHint() {
    assertThatThrownBy(() -> Json.write(Map.of(1, "one")))
        .hasMessageStartingWith("value: map key of type java.lang.Integer is not a string");
    assertThatThrownBy(() -> Json.write(Map.of("b", new byte[] {1})))
        .hasMessageStartingWith("b: byte[] is not a JSON value (encode it into a string");
    assertThatThrownBy(() -> Json.write(List.of(1).stream()))
        .hasMessageContaining("collect it into a list");
    assertThatThrownBy(() -> Json.write(Map.of("s", "x\uD800y")))
        .hasMessageStartingWith(
            "s: string is not valid Unicode (lone surrogate \\uD800 at index 1");
    Map<String, Object> loop = new HashMap<>();
    loop.put("self", loop);
    assertThatThrownBy(() -> Json.write(loop))
        .hasMessageContaining("is nested deeper than 1000 levels (does the value contain itself?)");
  }

  @Test
  void optionalsTimesEnumsAndRecordsAreJsonValues() {
    assertThat(Json.write(Optional.empty())).isEqualTo("null");
    assertThat(Json.write(List.of(Optional.of("x"), OptionalInt.of(3)))).isEqualTo("[\"x\",3]");
    assertThat(Json.write(Duration.ofSeconds(90))).isEqualTo("\"PT1M30S\"");
    assertThat(Json.write(Color.RED)).isEqualTo("\"RED\"");
    assertThat(Json.read(Json.write(new Point(1, "a"))))
        .isEqualTo(Map.of("y", 1, "x", "a", "label", "a1"));
  }

  @Test
  void aResultOverTheLimitIsRefusedStatingTheLimitAndPointingToStorage() {
    String fits = "a".repeat(2046); // 2,048 bytes with its quotes
    assertThat(Json.writeResult(fits, 2048)).hasSize(2048);
    assertThatThrownBy(() -> Json.writeResult(fits + "a", 2048))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "result is over the limit of 2 KiB (2,048 bytes) of JSON"
                + " (Cairn.builder().maxResultSize); keep big data in files under ctx.storage() and"
                + " return their names");
    // 'é' is two bytes of UTF-8, an emoji four: the limit is in bytes, not characters
    assertThatThrownBy(() -> Json.writeResult("é".repeat(1024), 2048))
        .hasMessageContaining("over the limit");
    assertThat(Json.writeResult("😀".repeat(511), 2048)).hasSize(1024);
    assertThatThrownBy(() -> Json.writeResult("x", 0)).hasMessageContaining("must be positive");
  }

  @Test
  void whateverIsWrittenCanBeReadBack() {
    String big = "x".repeat(20_000_001); // over Jackson's default read limit of 20,000,000
    assertThat(Json.read(Json.write(Map.of("s", big)))).isEqualTo(Map.of("s", big));
    String longName = "k".repeat(60_000); // over the default name limit of 50,000
    assertThat(Json.readMap(Json.write(Map.of(longName, 1)))).containsKey(longName);
    BigInteger huge = BigInteger.TEN.pow(2_000); // over the default 1,000 digits
    assertThat(Json.read(Json.write(huge))).isEqualTo(huge);
    Object deep = "leaf";
    for (int i = 0; i < 1000; i++) {
      deep = List.of(deep);
    }
    String text = Json.write(deep);
    assertThat(Json.write(Json.read(text))).isEqualTo(text);
    List<Object> tooDeep = new ArrayList<>(List.of(deep));
    assertThatThrownBy(() -> Json.write(tooDeep)).hasMessageContaining("deeper than 1000");
  }

  @Test
  void textThatIsNotJsonIsCorruptData() {
    assertThatThrownBy(() -> Json.read("{\"a\":"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith("not valid JSON");
    assertThatThrownBy(() -> Json.readMap("[1"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith("not a valid JSON object");
  }
}
