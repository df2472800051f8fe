package io.cairn.postgres.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A store URL as users write it ({@code postgresql://user@host:port/db}, also {@code postgres://}
 * and {@code jdbc:postgresql://}), taken apart. The password comes from the URL, else {@code
 * PGPASSWORD}, else the password file ({@code PGPASSFILE} or {@code ~/.pgpass}), as libpq does; it
 * never appears in {@link #toString} or in a message.
 */
public record PostgresUrl(
    String host, int port, String database, String user, String password, String query) {
  private static final List<String> SCHEMES =
      List.of("postgresql://", "postgres://", "jdbc:postgresql://");

  /** Whether {@code text} names a PostgreSQL store rather than, say, a path. */
  public static boolean isPostgres(String text) {
    return text != null && SCHEMES.stream().anyMatch(text::startsWith);
  }

  /**
   * @param env the environment ({@code PGPASSWORD}, {@code PGPASSFILE}, {@code PGUSER})
   * @throws IllegalArgumentException saying what is wrong with the URL, without its password
   */
  public static PostgresUrl parse(String url, Map<String, String> env) {
    if (!isPostgres(url)) {
      throw new IllegalArgumentException(
          "a postgresql store url starts with postgresql://, as in"
              + " postgresql://user@host:5432/db; got '"
              + redact(url)
              + "'");
    }
    String rest = url.substring(url.indexOf("://") + 3);
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String info = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    String host = authority;
    int port = 5432;
    int colon = authority.lastIndexOf(':');
    if (colon >= 0 && !authority.endsWith("]")) {
      host = authority.substring(0, colon);
      try {
        port = Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "the port in '" + redact(url) + "' is not a number from 1 to 65535: fix the url");
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException(
          "the url '" + redact(url) + "' names no host: write postgresql://user@host:5432/db");
    }
    if (database.isEmpty()) {
      throw new IllegalArgumentException(
          "the url '" + redact(url) + "' names no database: end it with /<database>");
    }
    if (user == null || user.isEmpty()) {
      user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
    }
    if (password == null) {
      password = env.get("PGPASSWORD");
    }
    if (password == null) {
      password = fromPassFile(env, host, port, database, user);
    }
    return new PostgresUrl(host, port, database, user, password, query);
  }

  /** The JDBC URL, without user or password (those go to the pool as properties). */
  public String jdbcUrl() {
    return "jdbc:postgresql://"
        + host
        + ":"
        + port
        + "/"
        + database
        + (query.isEmpty() ? "" : "?" + query);
  }

  /** The URL as it may be shown: no password. */
  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  /** {@code url} with any password in it replaced by {@code ***}. */
  public static String redact(String url) {
    if (url == null) {
      return "null";
    }
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
    String info = url.substring(scheme + 3, at);
    int colon = info.indexOf(':');
    String shown = colon < 0 ? info : info.substring(0, colon) + ":***";
    return (url.substring(0, scheme + 3) + shown + url.substring(at))
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** libpq's password file: lines {@code host:port:database:user:password}, {@code *} matches. */
  private static String fromPassFile(
      Map<String, String> env, String host, int port, String database, String user) {
    String file = env.get("PGPASSFILE");
    Path path = file != null ? Path.of(file) : Path.of(System.getProperty("user.home"), ".pgpass");
    if (!Files.isRegularFile(path)) {
      return null;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null; // unreadable: connect without a password, as libpq does
    }
    String[] wanted = {host, Integer.toString(port), database, user};
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = fields(line);
      if (fields.size() != 5) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < 4 && match; i++) {
        match = fields.get(i).equals("*") || fields.get(i).equals(wanted[i]);
      }
      if (match) {
        return fields.get(4);
      }
    }
    return null;
  }

  private static List<String> fields(String line) {
    List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
      } else if (c == ':' && out.size() < 4) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
