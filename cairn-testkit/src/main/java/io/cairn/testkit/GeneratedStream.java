package io.cairn.testkit;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongSupplier;

/**
 * A deterministic pseudo-random stream of a given size that digests (SHA-256) what it hands out, so
 * a test can stream gigabytes through a store without holding them. It can also watch how far its
 * reader runs ahead of where the bytes arrived ({@link #pacedBy}): a store that buffered the whole
 * blob in memory would run the whole way ahead.
 */
public final class GeneratedStream extends InputStream {
  private final MessageDigest digest;
  private long remaining;
  private long state;
  private long produced;
  private LongSupplier received; // null: not watched
  private long allowedLead;
  private long maxLead;

  public GeneratedStream(long size, long seed) {
    this.remaining = size;
    this.state = seed;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fails a read that would hand out bytes more than {@code allowedLead} ahead of {@code received}
   * (what the far side has got so far).
   */
  public GeneratedStream pacedBy(LongSupplier received, long allowedLead) {
    this.received = received;
    this.allowedLead = allowedLead;
    return this;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (remaining == 0) {
      return -1;
    }
    if (received != null) {
      long lead = produced - received.getAsLong();
      maxLead = Math.max(maxLead, lead);
      if (lead > allowedLead) {
        throw new IllegalStateException(
            "the store read " + lead + " bytes ahead of what the server received");
      }
    }
    int n = (int) Math.min(length, remaining);
    for (int i = 0; i < n; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      buffer[offset + i] = (byte) (state >>> 56);
    }
    digest.update(buffer, offset, n);
    remaining -= n;
    produced += n;
    return n;
  }

  /** The SHA-256 of what was handed out (once, at the end). */
  public byte[] digest() {
    return digest.digest();
  }

  /** The furthest the reader ran ahead of {@code received}, while paced. */
  public long maxLead() {
    return maxLead;
  }
}
