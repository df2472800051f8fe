package io.cairn.server.internal;

import io.javalin.http.Context;

/** Writing JSON responses. */
final class Http {
  private Http() {}

  static void json(Context ctx, int status, Object doc) {
    ctx.status(status).contentType("application/json").result(JsonText.write(doc));
  }
}
