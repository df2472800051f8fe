package io.cairn.cli;

/** A pipeline command found no pipeline file; a usage error (exit 2). */
final class NoPipelineFileException extends RuntimeException {
  NoPipelineFileException(String message) {
    super(message);
  }
}
