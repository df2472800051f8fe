package io.cairn.ssh.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts a remote stream into lines as the bytes arrive and hands each to the attempt's log; keeps
 * the last few for a failure's message. A line longer than 1 MiB is cut, so a script writing no
 * newlines cannot grow memory without bound.
 */
final class LineSink extends OutputStream {
  private static final int MAX_LINE = 1 << 20;

  private final Consumer<String> lines;
  private final int keep;
  private final Deque<String> tail = new ArrayDeque<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  LineSink(Consumer<String> lines, int keep) {
    this.lines = lines;
    this.keep = keep;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
    } else {
      line.write(b);
      if (line.size() >= MAX_LINE) {
        emit();
      }
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (b[i] == '\n') {
        line.write(b, start, i - start);
        emit();
        start = i + 1;
      } else if (line.size() + (i - start) >= MAX_LINE) {
        line.write(b, start, i - start);
        emit();
        start = i;
      }
    }
    line.write(b, start, end - start);
  }

  /** Sends a last line without a newline. */
  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      emit();
    }
  }

  synchronized List<String> tail() {
    return new ArrayList<>(tail);
  }

  private void emit() {
    int n = line.size();
    byte[] bytes = line.toByteArray();
    if (n > 0 && bytes[n - 1] == '\r') {
      n--;
    }
    String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
    line.reset();
    if (keep > 0) {
      tail.addLast(s);
      if (tail.size() > keep) {
        tail.removeFirst();
      }
    }
    lines.accept(s);
  }
}
