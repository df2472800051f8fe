package io.cairn.slurm.internal;

import io.cairn.spi.ResourceExecutor.Attempt;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Follows a file a job writes and hands its complete lines to the attempt's log; keeps the last
 * lines of stderr for a failure's message.
 */
final class Tail {
  private static final int KEEP = 20;
  private final Path file;
  private final boolean stderr;
  private final Deque<String> last = new ArrayDeque<>();
  private long offset;
  private byte[] partial = new byte[0];

  Tail(Path file, boolean stderr) {
    this.file = file;
    this.stderr = stderr;
  }

  synchronized void read(Attempt attempt) {
    while (readSome(attempt)) {
      // until the end of what is written so far
    }
  }

  private boolean readSome(Attempt attempt) {
    if (!Files.exists(file)) {
      return false;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      if (len <= offset) {
        return false;
      }
      byte[] buf = new byte[(int) Math.min(len - offset, 1 << 20)];
      f.seek(offset);
      f.readFully(buf);
      offset += buf.length;
      byte[] all = new byte[partial.length + buf.length];
      System.arraycopy(partial, 0, all, 0, partial.length);
      System.arraycopy(buf, 0, all, partial.length, buf.length);
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          line(attempt, new String(all, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      partial = java.util.Arrays.copyOfRange(all, start, all.length);
      return true;
    } catch (IOException e) {
      return false; // read again on the next poll
    }
  }

  private void line(Attempt attempt, String l) {
    attempt.output(stderr, l);
    if (stderr) {
      last.addLast(l);
      if (last.size() > KEEP) {
        last.removeFirst();
      }
    }
  }

  /** Reads the rest, the last line also without a newline: the job has ended. */
  synchronized void finish(Attempt attempt) {
    read(attempt);
    if (partial.length > 0) {
      line(attempt, new String(partial, StandardCharsets.UTF_8));
      partial = new byte[0];
    }
  }

  synchronized String tail() {
    return String.join("\n", last).strip();
  }
}
