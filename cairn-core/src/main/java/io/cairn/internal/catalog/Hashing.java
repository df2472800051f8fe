package io.cairn.internal.catalog;

import io.cairn.CorruptDataException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 ids, and a stream that refuses to end when its bytes were not the expected ones. */
final class Hashing {
  private Hashing() {}

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  static String of(byte[] bytes) {
    return hex(digest().digest(bytes));
  }

  /**
   * Checks an id given by a caller.
   *
   * @return it in lower case
   * @throws IllegalArgumentException saying what an id looks like
   */
  static String checkId(String id) {
    if (id == null) {
      throw new IllegalArgumentException("object id is null: pass the 64 hex digits put returned");
    }
    String lower = id.toLowerCase(java.util.Locale.ROOT);
    if (!io.cairn.spi.BlobInfo.isSha256Hex(lower)) {
      throw new IllegalArgumentException(
          "object id \""
              + (id.length() > 80 ? id.substring(0, 80) + "..." : id)
              + "\" is not a SHA-256: pass the 64 hex digits put returned");
    }
    return lower;
  }

  /**
   * Hashes what is read; at the end of the data, throws {@link CorruptDataException} instead of
   * reporting the end if the bytes do not hash to {@code expected}.
   */
  static final class Verifying extends FilterInputStream {
    private final MessageDigest md = digest();
    private final String expected;
    private final String what;
    private boolean checked;

    Verifying(InputStream in, String expected, String what) {
      super(in);
      this.expected = expected;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        check();
      } else {
        md.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n < 0) {
        check();
      } else {
        md.update(buf, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must still be hashed, so skipping reads.
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void check() {
      if (checked) {
        return;
      }
      String actual = hex(md.digest());
      checked = true;
      if (!actual.equals(expected)) {
        throw new CorruptDataException(
            what + " is corrupted: its bytes hash to " + actual + ", not to its id " + expected,
            null);
      }
    }
  }
}
