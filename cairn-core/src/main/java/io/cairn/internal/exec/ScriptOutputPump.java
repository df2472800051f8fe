package io.cairn.internal.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a script's stdout or stderr pipe on its own thread, line by line, so a full pipe never
 * blocks the script. Each line goes to a sink (the attempt's output); the last lines are kept for
 * error messages. Lines longer than {@link #MAX_LINE} characters are split.
 */
final class ScriptOutputPump implements Runnable {
  static final int MAX_LINE = 8_192;

  private final InputStream in;
  private final Consumer<String> sink;
  private final int keep;
  private final Deque<String> tail = new ArrayDeque<>();

  ScriptOutputPump(InputStream in, Consumer<String> sink, int keep) {
    this.in = in;
    this.sink = sink;
    this.keep = keep;
  }

  /** Starts a daemon thread pumping {@code in}, then running {@code onEnd}. */
  Thread start(String threadName, Runnable onEnd) {
    Thread t =
        new Thread(
            () -> {
              try {
                run();
              } finally {
                onEnd.run();
              }
            },
            threadName);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    StringBuilder line = new StringBuilder();
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      char[] buf = new char[8_192];
      int n;
      while ((n = r.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          char c = buf[i];
          if (c == '\n') {
            emit(line);
          } else {
            line.append(c);
            if (line.length() >= MAX_LINE) {
              emit(line);
            }
          }
        }
      }
    } catch (IOException e) {
      // The pipe closed under us (the script was killed): what was read is all there is.
    } finally {
      if (line.length() > 0) {
        emit(line);
      }
    }
  }

  private void emit(StringBuilder line) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    String s = line.substring(0, end);
    line.setLength(0);
    synchronized (tail) {
      tail.addLast(s);
      if (tail.size() > keep) {
        tail.removeFirst();
      }
    }
    sink.accept(s);
  }

  /** The last lines read, oldest first. */
  List<String> tail() {
    synchronized (tail) {
      return new ArrayList<>(tail);
    }
  }
}
