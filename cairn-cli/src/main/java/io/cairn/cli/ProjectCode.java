package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.CairnDefinitions;
import io.cairn.pipeline.Pipeline;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import picocli.CommandLine.Option;

/**
 * {@code --classpath JARS}: the user's Java code, found as {@link CairnDefinitions} providers in
 * the given jars (or class directories), so a worker or a scheduler can run or queue its pipelines.
 */
final class ProjectCode {
  @Option(
      names = "--classpath",
      paramLabel = "JARS",
      split = ":",
      description =
          "Jars or class directories (':'-separated) with the project's Java code: an"
              + " io.cairn.CairnDefinitions provider listed in"
              + " META-INF/services/io.cairn.CairnDefinitions.")
  List<Path> classpath = new ArrayList<>();

  boolean present() {
    return !classpath.isEmpty();
  }

  /**
   * Loads the providers and lets them define their pipelines on {@code cairn}; the context class
   * loader of the calling thread becomes the project's, for code that looks resources up there.
   *
   * @return the pipelines by name
   * @throws CommandFailedException naming the missing jar, or the jar without a provider
   */
  Map<String, Pipeline> pipelines(Cairn cairn) {
    List<URL> urls = new ArrayList<>();
    for (Path p : classpath) {
      if (!Files.exists(p)) {
        throw new CommandFailedException("--classpath: no such jar or directory: " + p, null);
      }
      try {
        urls.add(p.toAbsolutePath().toUri().toURL());
      } catch (MalformedURLException e) {
        throw new CommandFailedException("--classpath: bad path " + p, e);
      }
    }
    URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ProjectCode.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    Map<String, Pipeline> out = new LinkedHashMap<>();
    int providers = 0;
    try {
      for (CairnDefinitions d : ServiceLoader.load(CairnDefinitions.class, loader)) {
        providers++;
        for (Pipeline p : d.define(cairn)) {
          if (out.putIfAbsent(p.name(), p) != null) {
            throw new CommandFailedException(
                "pipeline '" + p.name() + "' is defined twice in --classpath", null);
          }
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new CommandFailedException(
          "--classpath: cannot load a CairnDefinitions provider: " + e.getMessage(), e);
    }
    if (providers == 0) {
      throw new CommandFailedException(
          "no io.cairn.CairnDefinitions provider in --classpath "
              + classpath
              + ": list your implementation in META-INF/services/io.cairn.CairnDefinitions",
          null);
    }
    return out;
  }
}
