package io.cairn.pipeline;

import io.cairn.CairnException;

/**
 * A pipeline file that cannot be used. The message says where and what: {@code cairn.yaml:12:
 * tasks.split.inputs.doc: unknown repository 'dokz'; repositories: docs, pages}. Each problem is
 * reported alone, the first one found.
 */
public final class PipelineYamlException extends CairnException {
  private final String file;
  private final int line;
  private final String field;
  private final String detail;

  /**
   * @param file the file as the user named it
   * @param line the 1-based line, or 0 when the problem has no line (the file cannot be read)
   * @param field the field path ({@code tasks.split.timeout}), or null
   * @param detail what is wrong, and what is allowed
   */
  public PipelineYamlException(String file, int line, String field, String detail) {
    super(message(file, line, field, detail));
    this.file = file;
    this.line = line;
    this.field = field;
    this.detail = detail;
  }

  /** As {@link #PipelineYamlException(String, int, String, String)}, with the underlying cause. */
  public PipelineYamlException(
      String file, int line, String field, String detail, Throwable cause) {
    super(message(file, line, field, detail), cause);
    this.file = file;
    this.line = line;
    this.field = field;
    this.detail = detail;
  }

  private static String message(String file, int line, String field, String detail) {
    return file
        + (line > 0 ? ":" + line : "")
        + ": "
        + (field == null ? "" : field + ": ")
        + detail;
  }

  /** The file as the user named it. */
  public String file() {
    return file;
  }

  /** The 1-based line, or 0 when the problem is not on a line. */
  public int line() {
    return line;
  }

  /** The field path, e.g. {@code tasks.split.timeout}, or null. */
  public String field() {
    return field;
  }

  /** What is wrong, without the location. */
  public String detail() {
    return detail;
  }
}
