package io.cairn.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client-facing failure with its HTTP status, rendered as RFC 9457 problem details by {@link
 * Problems}. The detail is one lower-case line that says what was wrong and how to fix it; it never
 * carries a stack trace or a secret.
 */
final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final Map<String, Object> extras;

  ApiProblem(int status, String detail, Map<String, Object> extras) {
    super(detail, null, false, false);
    this.status = status;
    this.extras = new LinkedHashMap<>(extras);
  }

  int status() {
    return status;
  }

  Map<String, Object> extras() {
    return extras;
  }

  static ApiProblem badParameter(String name, String detail, Object allowed) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("parameter", name);
    if (allowed != null) {
      x.put("allowed", allowed);
    }
    return new ApiProblem(400, detail, x);
  }

  static ApiProblem notFound(String kind, String name, Object known) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put(kind, name);
    if (known != null) {
      x.put("known", known);
    }
    return new ApiProblem(
        404,
        "no "
            + kind
            + " '"
            + name
            + "'"
            + (known == null ? "" : "; known: " + Problems.shortList(known)),
        x);
  }

  static ApiProblem conflict(String detail) {
    return new ApiProblem(409, detail, Map.of());
  }

  static ApiProblem tooLarge(String detail) {
    return new ApiProblem(413, detail, Map.of());
  }
}
