package io.cairn.pipeline;

/** How a task relates to a repository. */
public enum LinkKind {
  /** A source of jobs, and required: a job is ready only when it is in every input. */
  INPUT,
  /** Required for start, but not a source of jobs. */
  REQUIRED,
  /** Inhibits start: a job in this repository is not started. */
  INHIBITS,
  /** Written by the task; another task reading it depends on this one. */
  OUTPUT
}
