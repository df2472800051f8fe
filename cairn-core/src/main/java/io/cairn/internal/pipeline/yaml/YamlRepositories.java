package io.cairn.internal.pipeline.yaml;

import io.cairn.Cairn;
import io.cairn.internal.engine.Names;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.Repository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code repositories:} section: one repository object per name, shared by every task that
 * links it (the pipeline's graph follows from shared objects). Combinators may refer to
 * repositories declared after them; a repository made of itself is an error.
 */
final class YamlRepositories {
  private static final Map<String, List<String>> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("files", List.of("type", "dir", "ext"));
    KEYS.put("directories", List.of("type", "dir"));
    KEYS.put("blobs", List.of("type", "prefix"));
    KEYS.put("metadata", List.of("type", "dir", "format"));
    KEYS.put("memory", List.of("type"));
    KEYS.put("collection", List.of("type", "name"));
    KEYS.put("catalog", List.of("type", "dataset"));
    KEYS.put("all_of", List.of("type", "of"));
    KEYS.put("any_of", List.of("type", "of"));
    KEYS.put("blocked_by", List.of("type", "repo", "by"));
  }

  private final Map<String, YamlNode> specs;
  private final Path baseDir;
  private final Cairn cairn;
  private final Map<String, Repository> built = new LinkedHashMap<>();
  private final LinkedHashSet<String> building = new LinkedHashSet<>();

  private YamlRepositories(Map<String, YamlNode> specs, Path baseDir, Cairn cairn) {
    this.specs = specs;
    this.baseDir = baseDir;
    this.cairn = cairn;
  }

  /** Builds every repository of the section (null: none), in file order. */
  static Map<String, Repository> build(YamlNode section, Path baseDir, Cairn cairn) {
    Map<String, YamlNode> specs = section == null ? Map.of() : section.entries();
    YamlRepositories r = new YamlRepositories(specs, baseDir, cairn);
    for (String name : specs.keySet()) {
      YamlValues.repositoryName(specs.get(name), name);
    }
    for (String name : specs.keySet()) {
      r.resolve(name, specs.get(name));
    }
    return r.built;
  }

  /** The message for a name that is not a repository. */
  static String unknown(String name, Map<String, ?> repositories) {
    return "unknown repository '"
        + name
        + "'; "
        + (repositories.isEmpty()
            ? "no repositories are declared"
            : "repositories: " + String.join(", ", repositories.keySet()));
  }

  private Repository resolve(String name, YamlNode at) {
    Repository done = built.get(name);
    if (done != null) {
      return done;
    }
    YamlNode spec = specs.get(name);
    if (spec == null) {
      throw at.error(unknown(name, specs));
    }
    if (!building.add(name)) {
      List<String> cycle = new ArrayList<>(building);
      cycle = cycle.subList(cycle.indexOf(name), cycle.size());
      throw at.error(
          "repository '"
              + name
              + "' is made of itself: "
              + String.join(" -> ", cycle)
              + " -> "
              + name);
    }
    Repository r = create(name, spec);
    building.remove(name);
    built.put(name, r);
    return r;
  }

  private Repository create(String name, YamlNode spec) {
    YamlNode typeNode = spec.require("type");
    String type = typeNode.text();
    List<String> keys = KEYS.get(type);
    if (keys == null) {
      throw typeNode.error(
          "unknown repository type '" + type + "'; types: " + String.join(", ", KEYS.keySet()));
    }
    spec.allowKeys(keys, " for " + type);
    return switch (type) {
      case "files" -> {
        YamlNode ext = spec.get("ext");
        yield guard(
            ext == null ? spec : ext,
            () -> Repositories.files(dir(spec), ext == null ? "" : ext.text()));
      }
      case "directories" -> Repositories.directories(dir(spec));
      case "blobs" -> {
        YamlNode prefix = spec.require("prefix");
        Cairn c = needCairn(typeNode);
        yield guard(prefix, () -> Repositories.blobs(c.blobs(), prefix.text()));
      }
      case "metadata" -> {
        YamlNode format = spec.get("format");
        String f = format == null ? "json" : format.text();
        if (!f.equals("json") && !f.equals("yaml")) {
          throw format.error("unknown format '" + f + "'; formats: json, yaml");
        }
        Path dir = dir(spec);
        yield f.equals("json") ? Repositories.metadata(dir) : Repositories.yamlMetadata(dir);
      }
      case "memory" -> Repositories.inMemory(name);
      case "collection" -> {
        YamlNode collection = spec.require("name");
        Cairn c = needCairn(typeNode);
        guard(collection, () -> Names.checkCollection(collection.text()));
        yield Repositories.collection(c, collection.text());
      }
      case "catalog" -> {
        YamlNode dataset = spec.require("dataset");
        Cairn c = needCairn(typeNode);
        yield guard(dataset, () -> Repositories.catalog(c.catalog(), dataset.text()));
      }
      case "all_of", "any_of" -> {
        YamlNode of = spec.require("of");
        List<Repository> parts = new ArrayList<>();
        for (YamlNode item : of.items()) {
          parts.add(resolve(item.text(), item));
        }
        if (parts.isEmpty()) {
          throw of.error("list at least one repository");
        }
        Repository[] array = parts.toArray(Repository[]::new);
        yield type.equals("all_of") ? Repositories.allOf(array) : Repositories.anyOf(array);
      }
      default -> {
        YamlNode repo = spec.require("repo");
        YamlNode by = spec.require("by");
        yield Repositories.blockedBy(resolve(repo.text(), repo), resolve(by.text(), by));
      }
    };
  }

  private Path dir(YamlNode spec) {
    YamlNode dir = spec.require("dir");
    String text = dir.text();
    if (text.isBlank()) {
      throw dir.error("must not be empty");
    }
    return guard(dir, () -> baseDir.resolve(text).normalize());
  }

  private Cairn needCairn(YamlNode at) {
    if (cairn == null) {
      throw at.error("this repository type needs an open Cairn home, and none was given");
    }
    return cairn;
  }

  /** Runs a constructor, turning its IllegalArgumentException into an error at {@code at}. */
  private static <T> T guard(YamlNode at, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw at.error(e.getMessage());
    }
  }
}
