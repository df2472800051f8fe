package io.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiReadTest {
  final TestServer s = server();

  /** The server these tests run against; the PostgreSQL subclass gives its own. */
  TestServer server() {
    return TestServer.get();
  }

  @Test
  void collectionsListCountsByStatus() {
    HttpResponse<String> r = s.get("/api/v1/collections");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode squares = find(Golden.parse(r.body()).get("collections"), "name", "squares");
    assertThat(squares.get("counts").get("completed").asLong()).isEqualTo(4);
    assertThat(squares.get("counts").get("error").asLong()).isEqualTo(3);
    Golden.check("collection-squares", s.get("/api/v1/collections/squares").body());
  }

  @Test
  void resourcesArePagedByCursorWithoutRepeats() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<String> r =
          s.get(
              "/api/v1/collections/squares/resources?limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode doc = Golden.parse(r.body());
      doc.get("items").forEach(i -> seen.add(i.get("ident").asText()));
      cursor = doc.get("next_cursor").isNull() ? null : doc.get("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).containsExactlyInAnyOrder("n1", "n2", "n3", "m4", "bad-1", "bad-2", "odd-3");
    assertThat(pages).isGreaterThanOrEqualTo(4);
  }

  @Test
  void resourcesFilterByStatusAndIdentPrefix() {
    JsonNode errors =
        Golden.parse(s.get("/api/v1/collections/squares/resources?status=error").body());
    assertThat(idents(errors)).containsExactly("bad-1", "bad-2", "odd-3");
    JsonNode prefixed =
        Golden.parse(
            s.get("/api/v1/collections/squares/resources?prefix=n&status=completed").body());
    assertThat(idents(prefixed)).containsExactly("n1", "n2", "n3");
  }

  @Test
  void aPrefixListingPagesInIdentOrderByCursor() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 10; pages++) {
      JsonNode doc =
          Golden.parse(
              s.get(
                      "/api/v1/collections/squares/resources?status=error&prefix=bad-&limit=1"
                          + (cursor == null
                              ? ""
                              : "&cursor="
                                  + java.net.URLEncoder.encode(
                                      cursor, java.nio.charset.StandardCharsets.UTF_8)))
                  .body());
      seen.addAll(idents(doc));
      cursor = doc.get("next_cursor").isNull() ? null : doc.get("next_cursor").asText();
      if (cursor == null) {
        break;
      }
    }
    assertThat(seen).containsExactly("bad-1", "bad-2");
    ApiSecurityTest.problem(
        s.get("/api/v1/collections/squares/resources?prefix=n&cursor=k:bad-1"), 400);
  }

  @Test
  void oneResourceShowsStatusArgsResultTimingsAndWhy() {
    HttpResponse<String> r = s.get("/api/v1/collections/squares/resource?ident=n3");
    assertThat(r.statusCode()).isEqualTo(200);
    Golden.check("resource-n3", r.body());
    JsonNode doc = Golden.parse(r.body());
    assertThat(doc.get("timings").get("ended_ms").asLong()).isPositive();
  }

  @Test
  void logTailAndByteRange() {
    HttpResponse<String> all = s.get("/api/v1/collections/squares/resource/log?ident=n2");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).contains("squaring n2");
    assertThat(all.headers().firstValue("X-Cairn-Status")).hasValue("completed");
    long size = Long.parseLong(all.headers().firstValue("X-Cairn-Log-Size").orElseThrow());
    assertThat(size).isEqualTo(all.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    HttpResponse<String> tail = s.get("/api/v1/collections/squares/resource/log?ident=n2&tail=1");
    assertThat(tail.body().lines().count()).isEqualTo(1);
    assertThat(tail.body()).contains("squaring n2");
    HttpResponse<String> range =
        s.get("/api/v1/collections/squares/resource/log?ident=n2&from=0&to=5");
    assertThat(range.body()).isEqualTo(all.body().substring(0, 5));
  }

  @Test
  void traceOfAnErrorAndNoneOfACompletedResource() {
    HttpResponse<String> t = s.get("/api/v1/collections/squares/resource/trace?ident=bad-1");
    assertThat(t.statusCode()).isEqualTo(200);
    assertThat(t.body()).contains("IllegalStateException").contains("cannot square bad-1");
    HttpResponse<String> none = s.get("/api/v1/collections/squares/resource/trace?ident=n1");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(Golden.parse(none.body()).get("detail").asText()).contains("no stored error");
  }

  @Test
  void filesAreListedAndDownloaded() {
    JsonNode list =
        Golden.parse(s.get("/api/v1/collections/squares/resource/files?ident=n1").body());
    assertThat(list.get("files")).hasSize(1);
    assertThat(list.get("files").get(0).get("path").asText()).isEqualTo("note.txt");
    HttpResponse<String> f = s.get(list.get("files").get(0).get("url").asText());
    assertThat(f.statusCode()).isEqualTo(200);
    assertThat(f.body()).isEqualTo("note of n1");
  }

  @Test
  void errorGroupsShareTypeAndFrames() {
    HttpResponse<String> r = s.get("/api/v1/collections/squares/errors");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode groups = Golden.parse(r.body()).get("groups");
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0).get("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(groups.get(0).get("count").asInt()).isEqualTo(2);
    assertThat(groups.get(0).get("frames")).isNotEmpty();
    assertThat(groups.get(0).get("example").get("ident").asText()).isEqualTo("bad-1");
    assertThat(groups.get(1).get("type").asText()).isEqualTo("java.lang.ArithmeticException");
  }

  @Test
  void mapsArePagedByCursor() {
    JsonNode maps = Golden.parse(s.get("/api/v1/maps").body());
    assertThat(find(maps.get("maps"), "name", "settings").get("size").asLong()).isEqualTo(2);
    JsonNode first = Golden.parse(s.get("/api/v1/maps/settings?limit=1").body());
    assertThat(first.get("items").get(0).get("key").asText()).isEqualTo("a");
    assertThat(first.get("items").get(0).get("value").get("x").asInt()).isEqualTo(1);
    JsonNode second =
        Golden.parse(
            s.get("/api/v1/maps/settings?limit=1&cursor=" + first.get("next_cursor").asText())
                .body());
    assertThat(second.get("items").get(0).get("key").asText()).isEqualTo("b");
  }

  static List<String> idents(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("ident").asText()));
    return out;
  }

  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.get(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }
}
