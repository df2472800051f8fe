package io.cairn.ssh.internal;

import io.cairn.spi.WorkSpec;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The shell text sent to a host: quoting, the job wrapper, the kill and the cleanup. */
final class RemoteCommands {
  static final String PID_FILE = ".cairn-pid";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private RemoteCommands() {}

  /** One shell word, single-quoted. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * Runs the script in {@code dir} in a session of its own (so its whole process group can be
   * killed, and a dropped connection's hangup does not reach only part of it) whose leader writes
   * its pid first. {@code setsid -w} forks only when the shell already leads a group (OpenSSH makes
   * it so) and then waits, so the exit code is the script's either way. Variables are exported in
   * the text: sshd servers drop environment requests they were not told to accept.
   */
  static boolean cleansUpItself(WorkSpec.Script script) {
    return script.outputs().isEmpty();
  }

  static String job(String dir, WorkSpec.Script script) {
    String local = script.workDir() == null ? null : script.workDir().toString();
    StringBuilder b =
        new StringBuilder("mkdir -p -- ")
            .append(quote(dir))
            .append(" && cd ")
            .append(quote(dir))
            .append(" || exit 125; ");
    for (Map.Entry<String, String> e : script.environment().entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException(
            "environment variable name '"
                + e.getKey()
                + "' is not a valid shell name; use letters, digits and '_'");
      }
      // A variable naming the local working directory (CAIRN_WORKDIR) names the remote one here.
      String value = local != null && e.getValue().equals(local) ? dir : e.getValue();
      b.append("export ").append(e.getKey()).append('=').append(quote(value)).append("; ");
    }
    if (cleansUpItself(script)) {
      // Nothing to stage out: the leader removes the directory itself once the script ends, which
      // saves the attempt a channel and a process. A kill takes the leader too; then the executor
      // removes it.
      b.append("exec setsid -w /bin/sh -c ")
          .append(
              quote(
                  "d=$1; shift; echo $$ > "
                      + PID_FILE
                      + " && \"$@\"; rc=$?; cd / && rm -rf -- \"$d\"; exit $rc"))
          .append(" sh ")
          .append(quote(dir));
    } else {
      b.append("exec setsid -w /bin/sh -c ")
          .append(quote("echo $$ > " + PID_FILE + " && exec \"$@\""))
          .append(" sh");
    }
    for (String arg : script.command()) {
      b.append(' ').append(quote(arg));
    }
    return b.toString();
  }

  /**
   * Kills the job's process group once its pid is known (waiting up to 5 s for a job that is just
   * starting), then its leader in case the group was left. No {@code --}: dash's kill rejects it.
   */
  static String kill(String dir) {
    String pid = quote(dir + "/" + PID_FILE);
    return "i=0; while [ ! -s "
        + pid
        + " ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; "
        + "if [ -s "
        + pid
        + " ]; then p=$(cat "
        + pid
        + "); kill -KILL -$p 2>/dev/null; kill -KILL $p 2>/dev/null; fi; true";
  }

  static String remove(String dir) {
    return "rm -rf -- " + quote(dir);
  }

  /** A transfer's path: relative, inside the working directory. */
  static String inside(String dir, String relative) {
    List<String> parts = List.of(relative.split("/"));
    if (relative.isEmpty()
        || relative.startsWith("/")
        || parts.contains("..")
        || relative.contains("\n")) {
      throw new IllegalArgumentException(
          "transfer path '" + relative + "' leaves the working directory; give a relative path");
    }
    return dir + "/" + relative;
  }

  /** A directory name from an attempt's name: safe characters only, and a random suffix. */
  static String jobName(String attempt) {
    String s = attempt == null ? "job" : attempt.replaceAll("[^A-Za-z0-9._-]", "_");
    if (s.length() > 60) {
      s = s.substring(0, 60);
    }
    return s
        + "-"
        + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
  }
}
