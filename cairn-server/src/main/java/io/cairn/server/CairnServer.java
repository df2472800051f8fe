package io.cairn.server;

import io.cairn.Cairn;
import io.cairn.pipeline.Pipeline;
import io.cairn.server.internal.ServerRuntime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP API over a Cairn home: what the project defines (the pipelines given, the collections
 * registered on the Cairn) and everything its store knows, under {@code /api/v1}; its OpenAPI
 * document at {@code /api/v1/openapi.json}; and at {@code /} a live dashboard on that API (static
 * files from the classpath, no build step).
 *
 * <pre>{@code
 * try (CairnServer server = CairnServer.builder(cairn).pipelines(pipelines).port(8080).start()) {
 *   System.out.println(server.loginUrl());
 * }
 * }</pre>
 *
 * <p>Security: binds 127.0.0.1 unless told otherwise; every call but {@code /health} needs the
 * bearer token (configured, else read from or generated into {@code <home>/server-token}, readable
 * by its owner only) or the session cookie a one-time {@link #loginUrl()} sets; mutations from a
 * foreign {@code Origin} are refused. Triggered work is queued for workers; with {@code workers >
 * 0} the server also runs that many jobs at once itself. Thread-safe; {@link #close} stops it.
 */
public final class CairnServer implements AutoCloseable {
  private final ServerRuntime runtime;

  private CairnServer(ServerRuntime runtime) {
    this.runtime = runtime;
  }

  /** A server over {@code cairn}, which stays the caller's to close (after the server). */
  public static Builder builder(Cairn cairn) {
    return new Builder(Objects.requireNonNull(cairn, "cairn must not be null"));
  }

  /** The port it listens on (the chosen one when started on port 0). */
  public int port() {
    return runtime.port();
  }

  /** {@code http://host:port}. */
  public String baseUrl() {
    return "http://" + runtime.host() + ":" + runtime.port();
  }

  /** A new one-time URL that logs a browser in (a session cookie), as Jupyter prints one. */
  public String loginUrl() {
    return runtime.loginUrl();
  }

  /** Whether triggered work also runs in this process (workers > 0 and something to run). */
  public boolean runsWorker() {
    return runtime.runsWorker();
  }

  /**
   * Stops listening, the in-process worker (giving back what it claimed) and the triggered runs.
   */
  @Override
  public void close() {
    runtime.close();
  }

  /** Configures a server; {@link #start} checks and starts it. */
  public static final class Builder {
    private final Cairn cairn;
    private final List<Pipeline> pipelines = new ArrayList<>();
    private String bind = "127.0.0.1";
    private int port = 8080;
    private String token;
    private int workers = Runtime.getRuntime().availableProcessors();
    private boolean metricsOpen;
    private final List<String> corsOrigins = new ArrayList<>();

    private Builder(Cairn cairn) {
      this.cairn = cairn;
    }

    /** The project's pipelines (from its definitions or its cairn.yaml); none by default. */
    public Builder pipelines(List<Pipeline> list) {
      Objects.requireNonNull(list, "pipelines must not be null; pass List.of() for none");
      HashSet<String> names = new HashSet<>();
      for (Pipeline p : list) {
        if (!names.add(Objects.requireNonNull(p, "pipeline").name())) {
          throw new IllegalArgumentException(
              "pipeline '" + p.name() + "' is given twice; give each pipeline once");
        }
      }
      pipelines.clear();
      pipelines.addAll(list);
      return this;
    }

    /** The address to listen on; default 127.0.0.1 (this machine only). */
    public Builder bind(String address) {
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException("bind address must not be empty; default is 127.0.0.1");
      }
      this.bind = address;
      return this;
    }

    /** The port, 0 (any free one) to 65535; default 8080. */
    public Builder port(int p) {
      if (p < 0 || p > 65_535) {
        throw new IllegalArgumentException("port must be 0 (any free port) to 65535, got " + p);
      }
      this.port = p;
      return this;
    }

    /** The bearer token (at least 16 characters); default: from or into the home's token file. */
    public Builder token(String t) {
      if (t != null && (t.length() < 16 || t.chars().anyMatch(Character::isWhitespace))) {
        throw new IllegalArgumentException(
            "token must be at least 16 characters without spaces; leave it unset to generate one");
      }
      this.token = t;
      return this;
    }

    /** Jobs this server runs at once itself, 0 (only queue them for cairn worker) to 10000. */
    public Builder workers(int n) {
      if (n < 0 || n > 10_000) {
        throw new IllegalArgumentException(
            "workers must be 0 (queue only, for cairn worker) to 10000, got " + n);
      }
      this.workers = n;
      return this;
    }

    /**
     * Whether {@code /metrics} answers without the token (for a Prometheus scraper); default no.
     */
    public Builder metricsOpen(boolean open) {
      this.metricsOpen = open;
      return this;
    }

    /** Origins (like {@code https://ops.example.com}) allowed cross-origin calls; default none. */
    public Builder corsOrigins(List<String> origins) {
      for (String o : Objects.requireNonNull(origins, "origins must not be null")) {
        if (o == null
            || !(o.startsWith("http://") || o.startsWith("https://"))
            || o.endsWith("/")) {
          throw new IllegalArgumentException(
              "cors origin must look like https://host[:port] without a trailing '/', got '"
                  + o
                  + "'");
        }
      }
      corsOrigins.clear();
      corsOrigins.addAll(origins);
      return this;
    }

    /**
     * Starts listening.
     *
     * @throws java.io.UncheckedIOException with a {@link java.net.BindException} cause if the port
     *     is taken
     */
    public CairnServer start() {
      return new CairnServer(
          new ServerRuntime(
              cairn,
              List.copyOf(pipelines),
              new ServerRuntime.Settings(
                  bind, port, token, workers, metricsOpen, List.copyOf(corsOrigins))));
    }
  }
}
