package io.cairn.ssh.internal;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Checks host keys against a known-hosts file and remembers, per session, why a key was refused, so
 * the failed login can say which host offered which fingerprint (MINA only reports "key did not
 * validate"). There is no way to accept an unknown key: the user adds it to the file.
 */
final class HostKeys {
  private final Path file;
  private final Map<ClientSession, String> refusals = new ConcurrentHashMap<>();
  private final KnownHostsServerKeyVerifier verifier;

  HostKeys(Path file) {
    this.file = file;
    this.verifier =
        new KnownHostsServerKeyVerifier(
            (session, address, key) -> {
              refusals.put(
                  session,
                  "host key of "
                      + describe(address)
                      + " is not in known-hosts file "
                      + file
                      + " (offered "
                      + KeyUtils.getKeyType(key)
                      + " "
                      + KeyUtils.getFingerPrint(key)
                      + "); if that fingerprint is the host's, add it with ssh-keyscan");
              return false;
            },
            file);
    verifier.setModifiedServerKeyAcceptor(
        (session, address, entry, expected, actual) -> {
          refusals.put(
              session,
              "host key of "
                  + describe(address)
                  + " changed: known-hosts file "
                  + file
                  + " has "
                  + KeyUtils.getFingerPrint(expected)
                  + ", the host offered "
                  + KeyUtils.getKeyType(actual)
                  + " "
                  + KeyUtils.getFingerPrint(actual)
                  + "; refusing to connect (if the change is expected, replace the entry)");
          return false;
        });
  }

  KnownHostsServerKeyVerifier verifier() {
    return verifier;
  }

  /** Why this session's host key was refused, or {@code null}; forgets it. */
  String refusal(ClientSession session) {
    return refusals.remove(session);
  }

  private static String describe(SocketAddress address) {
    String s = String.valueOf(address);
    return s.startsWith("/") ? s.substring(1) : s;
  }
}
