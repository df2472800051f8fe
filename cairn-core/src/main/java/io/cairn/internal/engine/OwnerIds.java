package io.cairn.internal.engine;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lease-holder identities: {@code host:pid:start:instance}, where {@code start} is the process's
 * start time in epoch milliseconds as the operating system reports it and {@code instance} tells
 * apart several engines in one process.
 *
 * <p>The start time makes the id safe against pid reuse: a claimant on the same host can ask the
 * operating system whether the process that holds a lease still exists and take its resources at
 * once when it does not, instead of waiting for the lease to run out. Across hosts nothing can be
 * asked, and the lease's expiry decides.
 */
public final class OwnerIds {
  private static final String HOST = localHostName();
  private static final long PID = ProcessHandle.current().pid();
  private static final long START = startMillis(ProcessHandle.current());
  private static final int MAX_REMEMBERED = 10_000;

  /** Owners known to be gone; a process that ended never comes back, so this never goes stale. */
  private static final Map<String, Boolean> gone = new ConcurrentHashMap<>();

  private OwnerIds() {}

  /** A new owner id for an engine of this process. */
  public static String newOwnerId() {
    return HOST + ":" + PID + ":" + START + ":" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** This host's name as it appears in owner ids. */
  public static String host() {
    return HOST;
  }

  /**
   * Whether {@code owner} names a process on this host that no longer exists (or whose pid now
   * belongs to a process started at another time). False for other hosts, for this process, and for
   * ids this cannot read.
   */
  public static boolean isGone(String owner) {
    if (owner == null) {
      return false;
    }
    if (gone.containsKey(owner)) {
      return true;
    }
    String[] parts = owner.split(":", -1);
    if (parts.length < 3 || !parts[0].equals(HOST)) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return false;
    }
    if (pid == PID) {
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    boolean dead;
    if (p.isEmpty() || !p.get().isAlive()) {
      dead = true;
    } else {
      long recorded;
      try {
        recorded = Long.parseLong(parts[2]);
      } catch (NumberFormatException e) {
        return false; // an older id without a start time: the live pid may be it
      }
      long actual = startMillis(p.get());
      dead = actual != 0 && recorded != 0 && actual != recorded;
    }
    if (dead) {
      if (gone.size() > MAX_REMEMBERED) {
        gone.clear();
      }
      gone.put(owner, Boolean.TRUE);
    }
    return dead;
  }

  /** A short human name of an owner for messages: {@code host:pid}. */
  public static String describe(String owner) {
    if (owner == null) {
      return "nobody";
    }
    String[] parts = owner.split(":", -1);
    return parts.length >= 2 ? parts[0] + ":" + parts[1] : owner;
  }

  private static long startMillis(ProcessHandle p) {
    return p.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
  }

  private static String localHostName() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      return h == null || h.isEmpty() ? "localhost" : h.replace(':', '_');
    } catch (Exception e) {
      return "localhost";
    }
  }
}
