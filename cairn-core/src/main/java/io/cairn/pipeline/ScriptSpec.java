package io.cairn.pipeline;

import java.time.Duration;
import java.util.Map;

/**
 * A script task's body: a command template run per job by {@code SHELL -c} ({@code /bin/sh} by
 * default) in a fresh working directory (removed afterwards).
 *
 * <p>The template is Mustache: {@code {{job}}} (the job key), {@code {{params.NAME}}}, {@code
 * {{links.NAME}}} (a link's info for this job: a file repository renders as the job's file path, a
 * directory repository as its directory, metadata as JSON), {@code {{workdir}}}, {@code {{task}}},
 * {@code {{pipeline}}}. Every value is shell-quoted as it is inserted, so keys, paths and
 * parameters can never split into several words or inject commands. A name the template uses that
 * does not exist is an error when the pipeline is built.
 *
 * @param command the command template
 * @param stdin a link whose data for the job is fed to the command's stdin, or null
 * @param stdout an output link (a stream repository) that receives stdout for the job's key, or
 *     null: stdout goes to the job's log
 * @param stderr an output link that receives stderr, or null: stderr goes to the job's log
 * @param env environment variables (values are templates too, not shell-quoted)
 * @param timeout how long one run may take before it is killed (and fails), or null for no limit
 * @param shell the shell that runs the command with {@code -c}: a program name looked up on the
 *     PATH ({@code bash}, {@code zsh}) or an absolute path; null means {@value #DEFAULT_SHELL}
 */
public record ScriptSpec(
    String command,
    String stdin,
    String stdout,
    String stderr,
    Map<String, String> env,
    Duration timeout,
    String shell) {
  /** The shell when none is named: POSIX {@code sh}, run as {@code /bin/sh}. */
  public static final String DEFAULT_SHELL = "sh";

  public ScriptSpec {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("script command must not be empty");
    }
    env = env == null ? Map.of() : Map.copyOf(env);
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("script timeout must be positive, got " + timeout);
    }
    shell = shell == null ? DEFAULT_SHELL : shell;
    if (shell.isBlank()
        || shell.chars().anyMatch(c -> Character.isWhitespace(c) || c == 0)
        || (shell.contains("/") && !shell.startsWith("/"))) {
      throw new IllegalArgumentException(
          "script shell must be a program name (sh, bash) or an absolute path, got '"
              + shell
              + "'");
    }
  }

  /** A script run by the default shell ({@value #DEFAULT_SHELL}). */
  public ScriptSpec(
      String command,
      String stdin,
      String stdout,
      String stderr,
      Map<String, String> env,
      Duration timeout) {
    this(command, stdin, stdout, stderr, env, timeout, null);
  }

  /** This script run by {@code shell} (a program name on the PATH or an absolute path). */
  public ScriptSpec withShell(String shell) {
    if (shell == null) {
      throw new IllegalArgumentException("script shell must not be null; the default is sh");
    }
    return new ScriptSpec(command, stdin, stdout, stderr, env, timeout, shell);
  }

  /** A command with no stdin/stdout/stderr links, no environment, no timeout. */
  public static ScriptSpec of(String command) {
    return new ScriptSpec(command, null, null, null, Map.of(), null);
  }
}
