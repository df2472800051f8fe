package io.cairn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Points SQLite's JDBC driver at a copy of its native library kept in the user's cache dir, made on
 * the first run of each driver version. Left to itself the driver, on every start, runs {@code
 * uname -o} in a child process (to tell Android apart), scans the temp dir for stale copies, writes
 * its 1 MB library there again and compares it byte for byte with the jar's: about 50 ms of CPU and
 * a process spawn per command. Any doubt (another OS, musl, no writable cache, the property already
 * set) leaves the driver to do as it always does; a copy that fails to load makes it fall back to
 * the same.
 */
final class NativeSqlite {
  private static final String LIB = "libsqlitejdbc.so";

  private NativeSqlite() {}

  static void useCachedCopy() {
    try {
      if (System.getProperty("org.sqlite.lib.path") != null) {
        return;
      }
      String folder = folder();
      String version = driverVersion();
      String home = System.getProperty("user.home");
      if (folder == null || version == null || home == null) {
        return;
      }
      String xdg = System.getenv("XDG_CACHE_HOME");
      Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache");
      Path dir = cache.resolve("cairn").resolve("sqlite-" + version).resolve(folder);
      Path lib = dir.resolve(LIB);
      String resource = String.join("", "/org/sqlite/native/", folder, "/", LIB);
      java.net.URL url = NativeSqlite.class.getResource(resource);
      if (url == null) {
        return;
      }
      // The size from the jar's directory (no read of the library): a truncated or damaged copy
      // is made again rather than handed to the driver.
      long size = url.openConnection().getContentLengthLong();
      if (!Files.isRegularFile(lib) || Files.size(lib) != size) {
        extract(url, dir, lib);
      }
      System.setProperty("org.sqlite.lib.path", dir.toString());
      System.setProperty("org.sqlite.lib.name", LIB);
    } catch (IOException | RuntimeException e) {
      // The driver's own way still works; this only saves time.
    }
  }

  /** The driver's folder for this platform, for the glibc Linux builds only. */
  private static String folder() {
    if (!"Linux".equals(System.getProperty("os.name"))) {
      return null;
    }
    String arch = System.getProperty("os.arch");
    String a =
        switch (arch == null ? "" : arch) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64" -> "aarch64";
          default -> null;
        };
    if (a == null
        || Files.exists(Path.of("/lib/ld-musl-" + a + ".so.1"))
        || Files.exists(Path.of("/system/build.prop"))) {
      return null; // musl and Android have builds of their own: let the driver choose
    }
    return String.join("/", "Linux", a);
  }

  private static String driverVersion() throws IOException {
    try (InputStream in =
        NativeSqlite.class.getResourceAsStream(
            "/META-INF/maven/org.xerial/sqlite-jdbc/pom.properties")) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }

  /** Copies the library next to its final name, then renames it: a reader never sees half. */
  private static void extract(java.net.URL resource, Path dir, Path lib) throws IOException {
    try (InputStream in = resource.openStream()) {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, LIB, ".tmp");
      try {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
