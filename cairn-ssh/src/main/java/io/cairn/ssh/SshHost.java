package io.cairn.ssh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SSH host to run scripts on.
 *
 * @param user the login name
 * @param host a host name or address
 * @param port the SSH port
 */
public record SshHost(String user, String host, int port) {
  private static final Pattern FORM =
      Pattern.compile(
          "([A-Za-z0-9_.][A-Za-z0-9_.-]*)@([A-Za-z0-9_.:-]+?|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?");

  public SshHost {
    if (user == null || user.isBlank() || host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "an ssh host needs a user and a host name, got user='" + user + "', host='" + host + "'");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("ssh port must be 1-65535, got " + port + " for " + host);
    }
  }

  /**
   * Parses {@code user@host} or {@code user@host:port} (port 22 by default; an IPv6 address in
   * brackets).
   *
   * @throws IllegalArgumentException saying what form is expected
   */
  public static SshHost parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "ssh host must look like user@host or user@host:port, got '" + text + "'");
    }
    String h = m.group(2);
    if (h.startsWith("[")) {
      h = h.substring(1, h.length() - 1);
    }
    return new SshHost(m.group(1), h, m.group(3) == null ? 22 : Integer.parseInt(m.group(3)));
  }

  /** {@code host:port}, as messages and executor names show it. */
  public String label() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return user + "@" + label();
  }
}
