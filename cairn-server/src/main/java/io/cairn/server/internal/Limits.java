package io.cairn.server.internal;

/** Bounds that keep one client from exhausting the server. */
final class Limits {
  static final long MAX_BODY_BYTES = 64 * 1024;
  static final int MAX_QUERY_VALUE = 1024;
  static final int MAX_PAGE = 1000;
  static final int DEFAULT_PAGE = 50;
  static final int MAX_HTTP_THREADS = 32;
  static final int IDLE_TIMEOUT_MS = 30_000;
  static final int MAX_STREAMS = 64;
  static final int MAX_WATCHED = 20;

  /** How many ERROR resources one error-group listing reads at most. */
  static final int ERROR_SCAN = 10_000;

  private Limits() {}
}
