package io.cairn.ssh.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * How an SSH executor logs in: the keys of a private key file (decrypted once, when the executor is
 * made), the identities of an ssh-agent, or both (the agent's first). A passphrase is read from the
 * environment variable the configuration names, used once to decrypt the file and never kept,
 * logged or put in a message.
 */
public final class Login {
  private final Path keyFile;
  private final List<KeyPair> keys;
  private final AgentSocketFactory agent;

  private Login(Path keyFile, List<KeyPair> keys, AgentSocketFactory agent) {
    this.keyFile = keyFile;
    this.keys = keys;
    this.agent = agent;
  }

  /**
   * Loads the key file (if any) and names the agent socket (if any).
   *
   * @param keyFile a private key file, or {@code null}
   * @param passphraseEnv the environment variable holding the key's passphrase, or {@code null}
   * @param agentSocket the ssh-agent's socket, or {@code null} for no agent
   * @param env reads an environment variable ({@code System::getenv} outside tests)
   * @throws IllegalArgumentException naming the key file and what to do, never the passphrase
   */
  public static Login of(
      Path keyFile, String passphraseEnv, Path agentSocket, Function<String, String> env) {
    if (keyFile == null && agentSocket == null) {
      throw new IllegalArgumentException("an ssh login needs a key file or an agent socket");
    }
    List<KeyPair> keys = keyFile == null ? List.of() : loadKeys(keyFile, passphraseEnv, env);
    return new Login(
        keyFile, keys, agentSocket == null ? null : new AgentSocketFactory(agentSocket));
  }

  List<KeyPair> keys() {
    return keys;
  }

  /** The agent MINA should ask for identities, or {@code null}. */
  AgentSocketFactory agent() {
    return agent;
  }

  /** What was offered, for a refused login: "2 identities of the ssh agent at S, the key in F". */
  String offered() {
    List<String> parts = new ArrayList<>();
    if (agent != null) {
      int n = agent.lastOffered();
      parts.add(
          (n < 0 ? "the identities" : n + (n == 1 ? " identity" : " identities"))
              + " of the ssh agent at "
              + agent.socket());
    }
    if (keyFile != null) {
      parts.add("the key in " + keyFile);
    }
    return String.join(", ", parts);
  }

  private static List<KeyPair> loadKeys(
      Path key, String passphraseEnv, Function<String, String> env) {
    String passphrase = passphraseEnv == null ? null : env.apply(passphraseEnv);
    if (passphrase != null && passphrase.isEmpty()) {
      passphrase = null;
    }
    Passphrase finder = new Passphrase(passphrase);
    List<KeyPair> keys = new ArrayList<>();
    Exception failure = null;
    // Not FileKeyPairProvider: it logs a key it cannot decrypt as a WARN line and skips it.
    try (InputStream in = Files.newInputStream(key)) {
      Iterable<KeyPair> found =
          SecurityUtils.loadKeyPairIdentities(
              null, NamedResource.ofName(key.toString()), in, finder);
      if (found != null) {
        found.forEach(keys::add);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      failure = e;
    }
    if (!keys.isEmpty()) {
      return List.copyOf(keys);
    }
    if (finder.asked && passphrase == null) {
      throw new IllegalArgumentException(
          "ssh key file "
              + key
              + " is protected by a passphrase, "
              + (passphraseEnv == null
                  ? "but no key_passphrase_env names a variable that holds it: set one"
                  : "but environment variable " + passphraseEnv + " is not set: export it"),
          failure);
    }
    if (finder.asked) {
      throw new IllegalArgumentException(
          "cannot decrypt ssh key file "
              + key
              + " with the passphrase in environment variable "
              + passphraseEnv
              + ": check that it is this key's passphrase",
          failure);
    }
    if (failure != null) {
      throw new IllegalArgumentException(
          "cannot read ssh key file " + key + ": " + HostConnection.oneLine(failure), failure);
    }
    throw new IllegalArgumentException(
        "ssh key file "
            + key
            + " holds no private key this client can use (OpenSSH or PEM format)");
  }

  /**
   * Hands MINA the passphrase and remembers whether the file asked for one (MINA's default then
   * gives up after one wrong try: a wrong passphrase stays wrong).
   */
  private static final class Passphrase implements FilePasswordProvider {
    private final String value;
    private volatile boolean asked;

    Passphrase(String value) {
      this.value = value;
    }

    @Override
    public String getPassword(SessionContext session, NamedResource resource, int retryIndex) {
      asked = true;
      return value;
    }
  }
}
