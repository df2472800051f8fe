package io.cairn.internal.pipeline.yaml;

import io.cairn.internal.exec.ExecutorRegistry;
import io.cairn.spi.ExecutorProvider;
import io.cairn.spi.ResourceExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The {@code executors:} section of a pipeline file: named executors of a type some module provides
 * ({@link ExecutorProvider}), which tasks then name with {@code executor:}.
 *
 * <pre>
 * executors:
 *   cluster:
 *     type: ssh
 *     hosts: [alice@node1, alice@node2:2222]
 *     key: ~/.ssh/id_ed25519
 *     known_hosts: ~/.ssh/known_hosts
 *     max_per_host: 4
 * </pre>
 */
public final class YamlExecutors {
  private YamlExecutors() {}

  /**
   * Makes the declared executors; the caller owns them (closes them after the Cairn they were
   * registered on).
   *
   * @throws io.cairn.pipeline.PipelineYamlException at the first bad declaration
   */
  public static Map<String, ResourceExecutor> open(YamlNode root, Path baseDir) {
    YamlNode section = root.get("executors");
    Map<String, ResourceExecutor> made = new LinkedHashMap<>();
    if (section == null || section.isNull()) {
      return made;
    }
    Map<String, ExecutorProvider> providers = providers();
    Map<String, Map<String, Object>> declared = declarations(section);
    try {
      for (Map.Entry<String, YamlNode> e : section.entries().entrySet()) {
        String name = e.getKey();
        YamlNode decl = e.getValue();
        try {
          ExecutorRegistry.checkName(name);
        } catch (IllegalArgumentException x) {
          throw decl.error(x.getMessage());
        }
        if (ExecutorRegistry.builtIn(name)) {
          throw decl.error(
              "'" + name + "' is a built-in executor; declare yours under another name");
        }
        YamlNode typeNode = decl.require("type");
        String type = typeNode.text().strip();
        ExecutorProvider p = providers.get(type);
        if (p == null) {
          throw typeNode.error(
              "no executor type '"
                  + type
                  + "' on the classpath; known types: "
                  + (providers.isEmpty() ? "none" : String.join(", ", providers.keySet())));
        }
        Map<String, Object> settings = settings(decl, true);
        settings.remove("type");
        try {
          made.put(name, p.open(settings, baseDir, declared));
        } catch (IllegalArgumentException x) {
          throw decl.error(x.getMessage());
        }
      }
    } catch (RuntimeException | Error x) {
      made.values().forEach(ResourceExecutor::close);
      throw x;
    }
    return made;
  }

  /** Every declaration's fields, for executors that refer to another (a login node). */
  private static Map<String, Map<String, Object>> declarations(YamlNode section) {
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : section.entries().entrySet()) {
      if (e.getValue().kind() == YamlNode.Kind.MAP) {
        all.put(e.getKey(), Map.copyOf(settings(e.getValue(), false)));
      }
    }
    return Map.copyOf(all);
  }

  private static Map<String, Object> settings(YamlNode decl, boolean strict) {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> s : decl.entries().entrySet()) {
      YamlNode v = s.getValue();
      if (!strict && !plain(v)) {
        continue; // reported when its own declaration is made
      }
      if (v.kind() == YamlNode.Kind.LIST) {
        List<String> items = new ArrayList<>();
        v.items().forEach(i -> items.add(i.text()));
        settings.put(s.getKey(), List.copyOf(items));
      } else if (v.isNull()) {
        if (strict) {
          throw v.error("expected a value, got nothing");
        }
      } else {
        settings.put(s.getKey(), v.text());
      }
    }
    return settings;
  }

  private static boolean plain(YamlNode v) {
    return v.kind() == YamlNode.Kind.SCALAR
        || (v.kind() == YamlNode.Kind.LIST
            && v.items().stream().allMatch(i -> i.kind() == YamlNode.Kind.SCALAR));
  }

  private static Map<String, ExecutorProvider> providers() {
    Map<String, ExecutorProvider> m = new TreeMap<>();
    for (ExecutorProvider p : ServiceLoader.load(ExecutorProvider.class)) {
      m.putIfAbsent(p.type(), p);
    }
    return m;
  }
}
