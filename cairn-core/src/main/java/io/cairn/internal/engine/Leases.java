package io.cairn.internal.engine;

import io.cairn.spi.StoredResource;

/** How the engine judges a stored lease. */
public final class Leases {
  private Leases() {}

  /**
   * Whether someone may still be computing {@code r} at {@code now}: it is RUNNING under a lease
   * that has not expired, held by an owner that is not known to be gone (a process of this host
   * that no longer exists).
   */
  public static boolean live(StoredResource r, long now) {
    return r.leasedAt(now) && !OwnerIds.isGone(r.owner());
  }
}
