package io.cairn.server.internal;

import io.cairn.Status;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reading and checking request parameters: each bad value is a 400 naming it and what is allowed.
 */
final class Query {
  private Query() {}

  static String optional(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v != null && v.length() > Limits.MAX_QUERY_VALUE) {
      throw ApiProblem.badParameter(
          name, name + " is too long: at most " + Limits.MAX_QUERY_VALUE + " characters", null);
    }
    if (v != null && v.indexOf('\0') >= 0) {
      throw ApiProblem.badParameter(name, name + " must not contain NUL characters", null);
    }
    return v;
  }

  static String required(Context ctx, String name) {
    String v = optional(ctx, name);
    if (v == null || v.isEmpty()) {
      throw ApiProblem.badParameter(name, "query parameter '" + name + "' is required", null);
    }
    return v;
  }

  static int intParam(Context ctx, String name, int dflt, int min, int max) {
    String v = optional(ctx, name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiProblem.badParameter(
        name,
        name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'",
        min + ".." + max);
  }

  static long longParam(Context ctx, String name, long dflt) {
    String v = optional(ctx, name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiProblem.badParameter(
        name, name + " must be a whole number 0 or more, got '" + v + "'", "0..");
  }

  static final List<String> STATUS_NAMES =
      List.of("queued", "running", "completed", "error", "aborted");

  /** {@code status=error,aborted}; absent: every stored status. */
  static Set<Status> statuses(Context ctx) {
    String v = optional(ctx, "status");
    if (v == null || v.isEmpty()) {
      return EnumSet.of(
          Status.QUEUED, Status.RUNNING, Status.COMPLETED, Status.ERROR, Status.ABORTED);
    }
    Set<Status> out = EnumSet.noneOf(Status.class);
    for (String s : Arrays.asList(v.split(","))) {
      String t = s.trim().toLowerCase(java.util.Locale.ROOT);
      if (!STATUS_NAMES.contains(t)) {
        throw ApiProblem.badParameter(
            "status",
            "status '" + s + "' is unknown; use one or more of " + STATUS_NAMES,
            STATUS_NAMES);
      }
      out.add(Status.valueOf(t.toUpperCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  static boolean bool(Context ctx, String name) {
    String v = optional(ctx, name);
    if (v == null || v.isEmpty() || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw ApiProblem.badParameter(
        name, name + " must be true or false, got '" + v + "'", List.of("true", "false"));
  }
}
