package io.cairn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The example pipelines packaged in the jar under {@code examples/<name>/}. A jar's directories
 * cannot be listed portably, so each example lists its files in {@code files.txt} (one relative
 * path per line, {@code #} comments); only those are copied.
 */
final class ExampleFiles {
  static final String ROOT = "examples/";
  static final String INDEX = "files.txt";

  private ExampleFiles() {}

  /**
   * Copies an example's listed files into {@code target}, replacing older copies (each written to a
   * temp name and renamed); files not listed (the user's data, outputs) are left alone.
   *
   * @return the files written, relative to {@code target}
   */
  static List<String> copy(String example, Path target) throws IOException {
    List<String> files = index(example);
    Path root = target.toAbsolutePath().normalize();
    for (String f : files) {
      Path dest = root.resolve(f).normalize();
      if (!dest.startsWith(root) || dest.equals(root)) {
        throw new IllegalStateException("example " + example + " lists a bad path: " + f);
      }
      Files.createDirectories(dest.getParent());
      Path tmp = dest.resolveSibling("." + dest.getFileName() + ".tmp");
      try (InputStream in = open(example + "/" + f)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return files;
  }

  static List<String> index(String example) throws IOException {
    try (InputStream in = open(example + "/" + INDEX)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = ExampleFiles.class.getClassLoader().getResourceAsStream(ROOT + resource);
    if (in == null) {
      throw new IOException("the example file " + ROOT + resource + " is not in the jar");
    }
    return in;
  }
}
