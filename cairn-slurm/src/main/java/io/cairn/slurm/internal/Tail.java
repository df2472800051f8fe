package io.cairn.slurm.internal;

import io.cairn.spi.ResourceExecutor.Attempt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Follows a file a job writes and hands its complete lines to the attempt's log; keeps the last
 * lines of stderr for a failure's message. The file is read through the cluster shell, only as far
 * as a listing said it has grown, so a poll of an idle job costs no read.
 */
final class Tail {
  private static final int KEEP = 20;
  private static final int CHUNK = 1 << 20;
  private final ClusterShell shell;
  private final String file;
  private final boolean stderr;
  private final Deque<String> last = new ArrayDeque<>();
  private long offset;
  private byte[] partial = new byte[0];

  Tail(ClusterShell shell, String file, boolean stderr) {
    this.shell = shell;
    this.file = file;
    this.stderr = stderr;
  }

  /** Reads up to {@code size}, the file's length as last listed (-1: not there yet). */
  synchronized void read(Attempt attempt, long size) throws IOException {
    while (offset < size) {
      if (readSome(attempt) == 0) {
        return;
      }
    }
  }

  private int readSome(Attempt attempt) throws IOException {
    byte[] buf = shell.read(file, offset, CHUNK);
    if (buf.length == 0) {
      return 0;
    }
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
    partial = Arrays.copyOfRange(all, start, all.length);
    return buf.length;
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
  synchronized void finish(Attempt attempt) throws IOException {
    while (readSome(attempt) > 0) {
      // until the end of the file
    }
    if (partial.length > 0) {
      line(attempt, new String(partial, StandardCharsets.UTF_8));
      partial = new byte[0];
    }
  }

  synchronized String tail() {
    return String.join("\n", last).strip();
  }
}
