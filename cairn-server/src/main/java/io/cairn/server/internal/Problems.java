package io.cairn.server.internal;

import io.cairn.UnknownCollectionException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP statuses: RFC 9457 problem details, never a stack
 * trace to a client. Bad input is a 4xx; only a fault of the server itself is a 500, logged here
 * with its trace and answered with a line that points at the log.
 */
final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  static final String TYPE = "application/problem+json";

  private Problems() {}

  static void handle(Exception e, Context ctx) {
    if (e instanceof ApiProblem p) {
      write(ctx, p.status(), p.getMessage(), p.extras());
    } else if (e instanceof UnknownCollectionException) {
      write(ctx, 404, lowerFirst(e.getMessage()), Map.of());
    } else if (e instanceof io.cairn.CorruptDataException) {
      // Stored bytes that do not match their identity: the server's data, not the request, is bad.
      log.warn("request {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      write(ctx, 500, lowerFirst(e.getMessage()), Map.of());
    } else if (e instanceof IllegalArgumentException) {
      write(ctx, 400, lowerFirst(e.getMessage()), Map.of());
    } else if (e instanceof HttpResponseException h) {
      String detail =
          h.getStatus() == 413
              ? "request body too large: at most " + Limits.MAX_BODY_BYTES + " bytes"
              : lowerFirst(h.getMessage());
      write(ctx, h.getStatus(), detail, Map.of());
    } else {
      log.error("request {} {} failed", ctx.method(), ctx.path(), e);
      write(ctx, 500, "internal server error; the server's log has the details", Map.of());
    }
  }

  static void write(Context ctx, int status, String detail, Map<String, Object> extras) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "about:blank");
    doc.put("title", title(status));
    doc.put("status", status);
    doc.put("detail", detail == null ? title(status).toLowerCase(java.util.Locale.ROOT) : detail);
    doc.put("instance", ctx.path());
    doc.putAll(extras);
    ctx.status(status).contentType(TYPE).result(JsonText.write(doc));
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }

  static String shortList(Object known) {
    if (known instanceof Collection<?> c && c.size() > 20) {
      return c.stream().limit(20).toList() + " and " + (c.size() - 20) + " more";
    }
    return String.valueOf(known);
  }

  private static String lowerFirst(String s) {
    if (s == null || s.isEmpty()) {
      return "bad request";
    }
    String line = s.lines().findFirst().orElse(s);
    return Character.toLowerCase(line.charAt(0)) + line.substring(1);
  }
}
