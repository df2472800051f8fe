package io.cairn.ssh.internal;

import io.cairn.spi.ExecutorProvider;
import io.cairn.spi.ResourceExecutor;
import io.cairn.ssh.SshExecutor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: ssh} in a pipeline file's {@code executors:} section: {@code hosts} (one or a list
 * of {@code user@host[:port]}), {@code known_hosts}, a login ({@code key}, with {@code
 * key_passphrase_env} for an encrypted one, and/or {@code agent: true|false|SOCKET}; without a key
 * the agent of {@code SSH_AUTH_SOCK}), and optionally {@code max_per_host}, {@code remote_dir},
 * {@code reconnects}. Paths may start with {@code ~/}; relative ones resolve against the file's
 * directory.
 */
public final class SshExecutorProvider implements ExecutorProvider {
  private static final Set<String> KNOWN =
      Set.of(
          "hosts",
          "key",
          "key_passphrase_env",
          "agent",
          "known_hosts",
          "max_per_host",
          "remote_dir",
          "reconnects");

  @Override
  public String type() {
    return "ssh";
  }

  @Override
  public ResourceExecutor open(Map<String, Object> settings, Path baseDir) {
    for (String k : settings.keySet()) {
      if (!KNOWN.contains(k)) {
        throw new IllegalArgumentException(
            "unknown ssh executor setting '"
                + k
                + "'; allowed: hosts, key, key_passphrase_env, agent, known_hosts, max_per_host,"
                + " remote_dir, reconnects");
      }
    }
    SshExecutor.Builder b = SshExecutor.builder();
    Object hosts = settings.get("hosts");
    if (hosts == null) {
      throw new IllegalArgumentException("ssh executor needs 'hosts': a list of user@host[:port]");
    }
    for (String h :
        hosts instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : List.of(String.valueOf(hosts))) {
      b.host(h);
    }
    if (settings.containsKey("key")) {
      b.key(path(settings, "key", baseDir));
    }
    if (settings.containsKey("key_passphrase_env")) {
      b.keyPassphraseEnv(String.valueOf(settings.get("key_passphrase_env")));
    }
    Object agent = settings.get("agent");
    if (agent instanceof Boolean use) {
      b.agent(use);
    } else if (agent != null && (agent.equals("true") || agent.equals("false"))) {
      b.agent(Boolean.parseBoolean((String) agent));
    } else if (agent != null) {
      b.agentSocket(path(settings, "agent", baseDir));
    }
    b.knownHosts(path(settings, "known_hosts", baseDir));
    if (settings.containsKey("max_per_host")) {
      b.maxPerHost(number(settings, "max_per_host"));
    }
    if (settings.containsKey("reconnects")) {
      b.reconnects(number(settings, "reconnects"));
    }
    if (settings.get("remote_dir") instanceof String d) {
      b.remoteDir(d);
    }
    return b.build();
  }

  /**
   * A file setting of an ssh declaration: {@code ~/} is the user's home, relative paths resolve
   * against {@code baseDir}. Public for {@code cairn-slurm}, whose login node is such a
   * declaration.
   */
  public static Path path(Map<String, Object> settings, String key, Path baseDir) {
    if (!(settings.get(key) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(
          settings.containsKey(key)
              ? "ssh executor setting '"
                  + key
                  + "' must be a file path, got '"
                  + settings.get(key)
                  + "'"
              : "ssh executor needs '" + key + "': a file path");
    }
    if (s.equals("~") || s.startsWith("~/")) {
      return Path.of(System.getProperty("user.home")).resolve(s.substring(Math.min(2, s.length())));
    }
    return baseDir.resolve(s).normalize();
  }

  private static int number(Map<String, Object> settings, String key) {
    Object v = settings.get(key);
    try {
      return Integer.parseInt(String.valueOf(v).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "ssh executor setting '" + key + "' must be a whole number, got '" + v + "'");
    }
  }
}
