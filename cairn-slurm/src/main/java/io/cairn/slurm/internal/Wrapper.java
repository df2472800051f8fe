package io.cairn.slurm.internal;

import java.util.List;
import java.util.Map;

/**
 * The shell text of one job: it runs the script in its working directory with its environment and
 * stdin, sends stdout and stderr to files the executor tails, and writes the exit code to a file
 * last (Slurm keeps no exit codes here without an accounting database).
 */
final class Wrapper {
  static final String EXIT = ".cairn-exitcode";
  static final String OUT = ".cairn-stdout";
  static final String ERR = ".cairn-stderr";
  static final String STDIN = ".cairn-stdin";

  private Wrapper() {}

  /**
   * The wrapper's text.
   *
   * @param command the script's words
   * @param env the variables to export
   * @param workDir where the script runs
   * @param in the file the script's stdin reads
   * @param out the file its stdout goes to
   * @param err the file its stderr goes to
   * @param control the attempt's control directory, where the exit code goes
   */
  static String text(
      List<String> command,
      Map<String, String> env,
      String workDir,
      String in,
      String out,
      String err,
      String control) {
    StringBuilder b = new StringBuilder("#!/bin/sh\n");
    // scancel signals every process of the job: a cancelled job writes no exit code (the
    // executor has already ended the attempt, and its directory may be gone).
    b.append("trap 'exit 143' TERM INT\n");
    b.append("cd ").append(quote(workDir)).append(" || exit 127\n");
    for (Map.Entry<String, String> e : env.entrySet()) {
      b.append("export ").append(e.getKey()).append('=').append(quote(e.getValue())).append('\n');
    }
    b.append(command(command))
        .append(" <")
        .append(quote(in))
        .append(" >")
        .append(quote(out))
        .append(" 2>")
        .append(quote(err))
        .append('\n');
    // Written to a temporary name and renamed, so the poller never reads half a number.
    String exit = control + "/" + EXIT;
    b.append("echo $? > ").append(quote(exit + ".tmp")).append(" && mv ");
    b.append(quote(exit + ".tmp")).append(' ').append(quote(exit)).append('\n');
    return b.toString();
  }

  private static String command(List<String> words) {
    StringBuilder b = new StringBuilder();
    for (String w : words) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(quote(w));
    }
    return b.toString();
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
