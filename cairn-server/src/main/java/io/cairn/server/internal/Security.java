package io.cairn.server.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may call: a bearer token on every call but {@code /health}, the dashboard's static files
 * (they hold no data; the data they show comes from the API) and {@code /metrics} when left open,
 * or the session cookie a one-time login URL set; mutations also need an allowed Origin when the
 * browser sends one, so another site cannot drive a logged-in dashboard. Tokens are compared in
 * constant time and never logged.
 */
final class Security {
  static final String TOKEN_FILE = "server-token";
  static final String COOKIE = "cairn_session";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String token;
  private final boolean metricsOpen;
  private final List<String> corsOrigins;
  private final Set<String> loginCodes = ConcurrentHashMap.newKeySet();
  private final Set<String> sessions = ConcurrentHashMap.newKeySet();
  private volatile String selfOrigin = "";

  Security(String token, boolean metricsOpen, List<String> corsOrigins) {
    this.token = token;
    this.metricsOpen = metricsOpen;
    this.corsOrigins = List.copyOf(corsOrigins);
  }

  /**
   * The configured token, else the one in {@code <home>/server-token}, else a new one written there
   * readable by the owner only (created with those permissions, never widened afterwards).
   */
  static String loadOrCreateToken(Path home, String configured) {
    if (configured != null) {
      if (configured.length() < 16 || configured.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "token must be at least 16 characters without spaces; leave it unset to generate one");
      }
      return configured;
    }
    Path file = home.resolve(TOKEN_FILE);
    try {
      if (Files.isRegularFile(file)) {
        String t = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!t.isEmpty()) {
          return t;
        }
      }
      String t = random(32);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        // An empty file left by an interrupted start: overwrite it below.
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.writeString(
          file, t + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or create the server token file " + file + ": " + e.getMessage(), e);
    }
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  void selfOrigin(String origin) {
    this.selfOrigin = origin;
  }

  /** A login code good for one use: the URL {@code cairn serve} prints. */
  String newLoginCode() {
    String code = random(24);
    loginCodes.add(code);
    return code;
  }

  /** {@code GET /login?code=}: trades a one-time code for an HttpOnly, SameSite=Strict session. */
  void login(Context ctx) {
    String code = ctx.queryParam("code");
    if (code == null || !loginCodes.remove(code)) {
      String accept = ctx.header("Accept");
      if (accept != null && accept.contains("text/html")) {
        // A person opened a spent link in a browser: a page, not a problem document.
        ctx.status(401)
            .contentType("text/html; charset=utf-8")
            .result(
                "<!doctype html><title>Cairn: log in</title><link rel=stylesheet"
                    + " href=/ui/style.css><main><div class='panel login'><h1>This login link"
                    + " was already used</h1><p>Each link that <code>cairn serve</code> prints"
                    + " works once. Restart <code>cairn serve</code> for a new one.</p></div>"
                    + "</main>");
        return;
      }
      throw new ApiProblem(
          401,
          "this login link is unknown or was already used; restart cairn serve for a new one,"
              + " or call the API with the bearer token",
          java.util.Map.of());
    }
    String session = random(32);
    sessions.add(session);
    ctx.header("Set-Cookie", COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
    ctx.redirect("/");
  }

  /** The before-handler: 401 without credentials, 403 for a mutation from a foreign Origin. */
  void check(Context ctx) {
    String path = ctx.path();
    String origin = ctx.header("Origin");
    if (origin != null && corsOrigins.contains(origin)) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
      ctx.header("Access-Control-Allow-Methods", "GET, POST");
    }
    if (path.equals("/health")
        || path.equals("/login")
        || Dashboard.isAsset(path)
        || ctx.method().name().equals("OPTIONS")) {
      return;
    }
    if (path.equals("/metrics") && metricsOpen) {
      return;
    }
    if (!authenticated(ctx)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"cairn\"");
      throw new ApiProblem(
          401,
          "missing or wrong credentials: send 'Authorization: Bearer <token>' (the token is in"
              + " the home's server-token file) or log in through the URL cairn serve printed",
          java.util.Map.of());
    }
    String m = ctx.method().name();
    boolean mutation = !(m.equals("GET") || m.equals("HEAD"));
    if (mutation && origin != null && !origin.equals(selfOrigin) && !corsOrigins.contains(origin)) {
      throw new ApiProblem(
          403,
          "origin '" + origin + "' may not change anything here; allowed: " + allowedOrigins(),
          java.util.Map.of("origin", origin));
    }
  }

  private List<String> allowedOrigins() {
    List<String> all = new java.util.ArrayList<>(corsOrigins);
    all.add(0, selfOrigin);
    return all;
  }

  private boolean authenticated(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return sameText(auth.substring(7).trim(), token);
    }
    String cookie = ctx.cookie(COOKIE);
    return cookie != null && sessions.contains(cookie);
  }

  private static boolean sameText(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
