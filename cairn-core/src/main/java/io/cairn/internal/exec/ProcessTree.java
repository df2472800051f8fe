package io.cairn.internal.exec;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starting a script in a session of its own, and killing all it started. */
final class ProcessTree {
  // A script started from a terminal shares its process group, so Ctrl-C would reach it before
  // the run could stop it, and it would fail and spend an attempt. In a session of its own it
  // only ever stops when Cairn kills it, and the group lets a kill reach children that were
  // orphaned (reparented to init) and so are no longer descendants. setsid is util-linux.
  private static final boolean SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));

  private ProcessTree() {}

  static List<String> command(List<String> command) {
    if (!SETSID) {
      return command;
    }
    List<String> c = new ArrayList<>(command.size() + 1);
    c.add("/usr/bin/setsid");
    c.addAll(command);
    return c;
  }

  /**
   * Kills the script and everything it started: the descendants seen first (so none is orphaned
   * unseen), then the process, then its process group (whose id is the script's pid, as setsid made
   * it a session leader without forking).
   */
  static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    if (SETSID) {
      try {
        new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
      } catch (IOException e) {
        // No kill(1): the descendants seen above were killed one by one.
      }
    }
  }

  /** The last {@code keep} lines of a file (of its last 16 KiB). */
  static List<String> fileTail(Path file, int keep) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 16_384);
      byte[] buf = new byte[n];
      f.seek(len - n);
      f.readFully(buf);
      List<String> lines =
          new ArrayList<>(List.of(new String(buf, StandardCharsets.UTF_8).split("\r?\n")));
      if (n < len && !lines.isEmpty()) {
        lines.remove(0);
      }
      return new ArrayList<>(lines.subList(Math.max(0, lines.size() - keep), lines.size()));
    } catch (IOException e) {
      return new ArrayList<>();
    }
  }
}
