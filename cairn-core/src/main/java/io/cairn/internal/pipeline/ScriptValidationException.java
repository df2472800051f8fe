package io.cairn.internal.pipeline;

/**
 * A script task whose templates or stdin/stdout/stderr links are wrong. The message is {@code task
 * 'NAME': FIELD: DETAIL}; the parts are kept so the YAML loader can point at the right line.
 */
public final class ScriptValidationException extends IllegalArgumentException {
  private final String task;
  private final String field;
  private final String detail;

  ScriptValidationException(String task, String field, String detail) {
    super("task '" + task + "': " + field + ": " + detail);
    this.task = task;
    this.field = field;
    this.detail = detail;
  }

  /** The task's name. */
  public String task() {
    return task;
  }

  /**
   * What is wrong: {@code command}, {@code env.NAME}, {@code stdin}, {@code stdout} or {@code
   * stderr}.
   */
  public String field() {
    return field;
  }

  /** The problem, without the task and field. */
  public String detail() {
    return detail;
  }
}
