package io.cairn.internal.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A script's stdin, for the executors that start processes here or on a remote host. */
public final class StdinFeeder {
  private StdinFeeder() {}

  /**
   * Feeds {@code data} into {@code to} on a thread of its own (a script that reads slowly cannot
   * stall anyone), closing both at the end; with no data, closes {@code to} at once so the script
   * sees end of input.
   */
  public static void feed(InputStream data, OutputStream to, String threadName) throws IOException {
    if (data == null) {
      to.close();
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = data;
                  OutputStream out = to) {
                in.transferTo(out);
              } catch (IOException e) {
                // The script stopped reading (exited, closed stdin, or its channel closed): the
                // rest is not wanted.
              }
            },
            threadName);
    t.setDaemon(true);
    t.start();
  }
}
