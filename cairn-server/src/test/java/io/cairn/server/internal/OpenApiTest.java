package io.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OpenApiTest {
  final TestServer s = server();

  /** The server these tests run against; the PostgreSQL subclass gives its own. */
  TestServer server() {
    return TestServer.get();
  }

  @Test
  void theDocumentNamesExactlyTheRealRoutes() throws Exception {
    JsonNode doc = Golden.parse(s.get("/api/v1/openapi.json").body());
    Set<String> documented = new TreeSet<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
    var field = io.cairn.server.CairnServer.class.getDeclaredField("runtime");
    field.setAccessible(true);
    ServerRuntime rt = (ServerRuntime) field.get(s.server);
    Set<String> real = new TreeSet<>();
    for (String r : rt.routes()) {
      String[] mp = r.split(" ", 2);
      if (Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(mp[0]) || mp[0].equals("SSE")) {
        real.add((mp[0].equals("SSE") ? "GET" : mp[0]) + " " + mp[1]);
      }
    }
    assertThat(documented).isEqualTo(real);
  }
}
