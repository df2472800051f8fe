package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API exposes no third-party or internal types: users compile against io.cairn,
 * io.cairn.spi and the face packages only.
 */
class LayeringTest {
  private static final List<String> API_PACKAGES =
      List.of(
          "io.cairn",
          "io.cairn.spi",
          "io.cairn.collection",
          "io.cairn.durable",
          "io.cairn.pipeline",
          "io.cairn.catalog");
  private static final List<String> FORBIDDEN =
      List.of("com.fasterxml.", "org.sqlite.", "io.cairn.internal.");

  @Test
  void publicSignaturesUseNoThirdPartyOrInternalTypes() throws Exception {
    List<String> violations = new ArrayList<>();
    for (Class<?> type : apiClasses()) {
      if (!Modifier.isPublic(type.getModifiers())) {
        continue;
      }
      for (Method m : type.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
          check(violations, type + "." + m.getName(), m.getGenericReturnType());
          for (Type p : m.getGenericParameterTypes()) {
            check(violations, type + "." + m.getName(), p);
          }
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (Modifier.isPublic(c.getModifiers())) {
          for (Type p : c.getGenericParameterTypes()) {
            check(violations, type + ".<init>", p);
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /**
   * The engine, the stores and the executors know no face, and the faces do not know each other:
   * pipelines and trackers run on the engine's attempt runner, not on collections' code.
   */
  @Test
  void enginesAndFacesImportOnlyDownwards() throws Exception {
    Path internal = Path.of("src/main/java/io/cairn/internal");
    List<String> faces = List.of("collection", "durable", "pipeline", "catalog");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(internal)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
        String pkg = internal.relativize(f).getName(0).toString();
        for (String line : Files.readAllLines(f)) {
          for (String face : faces) {
            if (!face.equals(pkg) && line.startsWith("import io.cairn.internal." + face + ".")) {
              violations.add(internal.relativize(f) + ": " + line);
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void apiPackagesAreFound() throws Exception {
    assertThat(apiClasses()).contains(Cairn.class, Resource.class, io.cairn.spi.StateStore.class);
  }

  private static void check(List<String> violations, String where, Type type) {
    String name = type.getTypeName();
    for (String bad : FORBIDDEN) {
      if (name.contains(bad)) {
        violations.add(where + " exposes " + name);
      }
    }
  }

  private static List<Class<?>> apiClasses() throws URISyntaxException, Exception {
    Path root = Path.of(Cairn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    for (String pkg : API_PACKAGES) {
      Path dir = root.resolve(pkg.replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          String n = f.getFileName().toString();
          if (n.endsWith(".class") && !n.equals("package-info.class")) {
            classes.add(Class.forName(pkg + "." + n.substring(0, n.length() - 6)));
          }
        }
      }
    }
    return classes;
  }
}
