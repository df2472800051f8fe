package io.cairn.internal.pipeline;

/**
 * A script job that did not succeed: it exited with a non-zero code or ran past its timeout. The
 * message ends with the last lines the script wrote to stderr, so the job's stored error says why.
 */
public final class ScriptFailedException extends RuntimeException {
  private final int exitCode;

  ScriptFailedException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The script's exit code, or -1 when it was killed for running past its timeout. */
  public int exitCode() {
    return exitCode;
  }
}
