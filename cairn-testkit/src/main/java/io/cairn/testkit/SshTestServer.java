package io.cairn.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server on 127.0.0.1 (Apache MINA SSHD) for executor tests: commands run as real {@code
 * /bin/sh -c} processes of this machine, files move over its SFTP subsystem, and clients log in
 * only with the generated user key (and keys a test {@link #authorize}s). It writes what a client
 * needs into a directory: the private key ({@code id_ecdsa}), and a known-hosts file ({@code
 * known_hosts}) holding its host key.
 */
public final class SshTestServer implements AutoCloseable {
  private final SshServer server;
  private final KeyPair hostKey;
  private final Path keyFile;
  private final Path knownHosts;
  private final Set<PublicKey> authorized;

  private SshTestServer(
      SshServer server, KeyPair hostKey, Path keyFile, Path knownHosts, Set<PublicKey> authorized) {
    this.server = server;
    this.hostKey = hostKey;
    this.keyFile = keyFile;
    this.knownHosts = knownHosts;
    this.authorized = authorized;
  }

  /** Starts a server on a free port of 127.0.0.1, with its client files in {@code dir}. */
  public static SshTestServer start(Path dir) {
    try {
      Files.createDirectories(dir);
      KeyPair hostKey = ecKey();
      KeyPair userKey = ecKey();
      SshServer s = SshServer.setUpDefaultServer();
      s.setHost("127.0.0.1");
      s.setPort(0);
      s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
      Set<PublicKey> allowed = new CopyOnWriteArraySet<>(List.of(userKey.getPublic()));
      s.setPublickeyAuthenticator(
          (user, key, session) -> allowed.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
      s.setPasswordAuthenticator(null);
      s.setKeyboardInteractiveAuthenticator(null);
      s.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
      s.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
      s.setFileSystemFactory(NativeFileSystemFactory.INSTANCE);
      s.start();
      Path keyFile = dir.resolve("id_ecdsa");
      try (OutputStream out = Files.newOutputStream(keyFile)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(userKey, "cairn-test", null, out);
      }
      Path knownHosts = dir.resolve("known_hosts");
      SshTestServer t = new SshTestServer(s, hostKey, keyFile, knownHosts, allowed);
      Files.writeString(knownHosts, t.knownHostsLine(hostKey.getPublic()) + "\n");
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test SSH server: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make test SSH keys: " + e.getMessage(), e);
    }
  }

  /** A fresh EC P-256 key pair (JDK-native, unlike Ed25519 in MINA). */
  public static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  /** A known-hosts line for this server's address with {@code key}. */
  public String knownHostsLine(PublicKey key) {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
  }

  public int port() {
    return server.getPort();
  }

  /** {@code user@127.0.0.1:port}, with the user running the test. */
  public String address() {
    return System.getProperty("user.name") + "@127.0.0.1:" + port();
  }

  public Path keyFile() {
    return keyFile;
  }

  public Path knownHosts() {
    return knownHosts;
  }

  public PublicKey hostKey() {
    return hostKey.getPublic();
  }

  /** Lets clients log in with {@code key} too, as a line in authorized_keys would. */
  public void authorize(PublicKey key) {
    authorized.add(key);
  }

  /** Takes back {@link #authorize}: new logins with {@code key} are refused. */
  public void revoke(PublicKey key) {
    authorized.removeIf(k -> KeyUtils.compareKeys(k, key));
  }

  /** How many client sessions are open now. */
  public int sessions() {
    return server.getActiveSessions().size();
  }

  /** Drops every client connection at once, as a network failure would. */
  public void dropConnections() {
    for (Session s : server.getActiveSessions()) {
      s.close(true);
    }
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      // Stopping immediately closes the sockets; nothing to keep.
    }
  }
}
