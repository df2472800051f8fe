package io.cairn.cli;

/** A command that could not do what was asked, for a reason stated in one line (exit 1). */
final class CommandFailedException extends RuntimeException {
  CommandFailedException(String message) {
    super(message);
  }

  CommandFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
